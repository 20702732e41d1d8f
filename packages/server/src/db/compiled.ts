import { type Compilable, CompiledQuery } from 'kysely';
import type { Db } from './schema.js';

/** What stands for argument `i` while the query is built once; never a value a caller could pass. */
const MARK = '\u0000gatehouse-argument:';

type Slot = { argument: number } | { constant: unknown };

/**
 * A query with a fixed shape, built and compiled once, then run with new values. Kysely builds and
 * compiles a query's syntax tree on every call; on the hot path (the session, its user, the caller's
 * role) that costs more than the database does.
 *
 * `build` runs once, on the first call, with marker arguments, so it must only pass its arguments
 * into the query as values: not branch on them, transform them or use them as names (the first call
 * refuses an argument that does not reach the SQL as a parameter; it cannot see one that also steers
 * JavaScript). The template is the same for every database of the process: it depends only on the
 * code and the SQL dialect (PostgreSQL, for PGlite too), and Gatehouse uses no Kysely plugins.
 * Results are what `execute()` would return.
 */
export function compiledQuery<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  let template: { sql: string; slots: Slot[] } | undefined;
  return async (db, ...args) => {
    template ??= compileTemplate(db, build, args.length);
    const parameters = template.slots.map((slot) => ('argument' in slot ? args[slot.argument] : slot.constant));
    return (await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters))).rows;
  };
}

function compileTemplate<A extends unknown[], R>(db: Db, build: (db: Db, ...args: A) => Compilable<R>, arity: number) {
  const marks = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as A;
  const compiled = build(db, ...marks).compile();
  const slots: Slot[] = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(MARK) ? { argument: Number(p.slice(MARK.length)) } : { constant: p },
  );
  for (let i = 0; i < arity; i++) {
    if (!slots.some((slot) => 'argument' in slot && slot.argument === i)) {
      throw new Error(`compiledQuery: argument ${i} does not reach the SQL as a parameter, so it cannot be filled in later`);
    }
  }
  return { sql: compiled.sql, slots };
}
