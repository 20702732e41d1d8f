import { sql } from 'kysely';
import { compiledQuery } from '../../db/compiled.js';
import type { Db } from '../../db/schema.js';
import { ApiError, describeUniqueConstraint } from '../../http/errors.js';
import { randomSecret } from '../../security/tokens.js';

describeUniqueConstraint('organizations_slug_key', 'This slug is taken by another organization.');

/** Built once: organizations/get and every change's answer read it. */
const organizationById = compiledQuery((db: Db, organizationId: string) =>
  db.selectFrom('organizations').selectAll().where('id', '=', organizationId),
);

export type OrganizationRow = Awaited<ReturnType<typeof findOrganization>> & {};

export async function findOrganization(db: Db, organizationId: string) {
  return (await organizationById(db, organizationId))[0];
}

export async function getOrganization(db: Db, organizationId: string): Promise<OrganizationRow> {
  const row = await findOrganization(db, organizationId);
  if (!row) throw new ApiError('not_found', 'No such organization.');
  return row;
}

/**
 * Lock the organization's row for the rest of the transaction. Every change that could leave it
 * without an owner takes this lock before counting owners: without it, two owners demoting each
 * other at once both see "another owner remains" and both commit (20 of 20 trials).
 */
export async function lockOrganization(db: Db, organizationId: string, mode: OrganizationLock = 'exclusive'): Promise<void> {
  const row = await (mode === 'exclusive' ? lockExclusive : lockShared)(db, organizationId);
  if (row.length === 0) throw new ApiError('not_found', 'No such organization.');
}

/**
 * `exclusive` (FOR UPDATE): one change at a time; what any change that may remove an owner or change
 * someone's rights takes. `shared` (FOR SHARE): for changes that only add rows (an invitation, a
 * member joining by code) and cannot break those rules by racing each other: they run side by side,
 * while an exclusive change waits for them (and they for it), so the rights they checked hold.
 */
export type OrganizationLock = 'exclusive' | 'shared';

const lockExclusive = compiledQuery((db: Db, organizationId: string) =>
  db.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate(),
);
const lockShared = compiledQuery((db: Db, organizationId: string) =>
  db.selectFrom('organizations').select('id').where('id', '=', organizationId).forShare(),
);

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

export function listOrganizations(db: Db, filter: { search?: string | undefined; before?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('organizations')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.before) query = query.where('id', '<', filter.before);
  if (filter.search) {
    const pattern = likePattern(filter.search);
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('slug', 'ilike', pattern)]));
  }
  return query.execute();
}

/** A slug from a name: ASCII letters and digits joined by dashes ("Acme, Inc." → "acme-inc"). */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug.length >= 2 ? slug : `org-${randomSecret(4)}`;
}

export interface NewOrganization {
  name: string;
  slug?: string | undefined;
  imageUrl?: string | undefined;
  publicMetadata?: Record<string, unknown> | undefined;
  privateMetadata?: Record<string, unknown> | undefined;
}

/**
 * Insert an organization. A given slug must be free (409); a generated one is made unique by a
 * suffix. `ON CONFLICT DO NOTHING` settles races on the unique index without aborting the transaction.
 */
export async function insertOrganization(db: Db, id: string, input: NewOrganization, now: Date): Promise<void> {
  const base = input.slug ?? slugify(input.name);
  const candidates = input.slug
    ? [base]
    : [base, ...[2, 3, 4, 5].map((n) => `${base}-${n}`), `${base}-${randomSecret(4)}`, `${base}-${randomSecret(8)}`];
  for (const slug of candidates) {
    const inserted = await db
      .insertInto('organizations')
      .values({
        id,
        name: input.name,
        slug,
        image_url: input.imageUrl ?? null,
        public_metadata: JSON.stringify(input.publicMetadata ?? {}),
        private_metadata: JSON.stringify(input.privateMetadata ?? {}),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return;
  }
  throw new ApiError('conflict', input.slug ? 'This slug is taken by another organization.' : 'Could not find a free slug; give one.');
}

export interface OrganizationChanges {
  name?: string | undefined;
  slug?: string | undefined;
  imageUrl?: string | null | undefined;
  publicMetadata?: Record<string, unknown> | undefined;
  privateMetadata?: Record<string, unknown> | undefined;
}

/** Apply the changes; false when the organization does not exist. A taken slug → 409 (unique index). */
export async function updateOrganization(db: Db, organizationId: string, changes: OrganizationChanges, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('organizations')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.slug !== undefined ? { slug: changes.slug } : {}),
      ...(changes.imageUrl !== undefined ? { image_url: changes.imageUrl } : {}),
      ...(changes.publicMetadata !== undefined ? { public_metadata: JSON.stringify(changes.publicMetadata) } : {}),
      ...(changes.privateMetadata !== undefined ? { private_metadata: JSON.stringify(changes.privateMetadata) } : {}),
      updated_at: now,
    })
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Delete an organization; memberships and custom roles go with it (ON DELETE CASCADE). */
export async function deleteOrganization(db: Db, organizationId: string): Promise<boolean> {
  const result = await db.deleteFrom('organizations').where('id', '=', organizationId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Whether any row names this organization (used for lookups that must 404 uniformly). */
export async function organizationExists(db: Db, organizationId: string): Promise<boolean> {
  return (await organizationIdOf(db, organizationId)).length > 0;
}

/** Built once: authorize() runs it for every secret-key call on an organization. */
const organizationIdOf = compiledQuery((db: Db, organizationId: string) =>
  db.selectFrom('organizations').select(sql<number>`1`.as('one')).where('id', '=', organizationId),
);
