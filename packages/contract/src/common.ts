import { z } from 'zod';

/** Largest serialized size of one metadata object. */
export const METADATA_MAX_BYTES = 8 * 1024;

/** ISO 8601 UTC timestamp, as every API field with a time carries it. */
export const Timestamp = z.iso.datetime().meta({ example: '2026-01-01T00:00:00.000Z' });

/** An email address, trimmed and lower-cased before anything else sees it. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }).max(254));

// TextEncoder, not Node's Buffer: the contract also runs in browsers.
const utf8 = new TextEncoder();

/** A free-form JSON object the SaaS team attaches to a resource, at most 8 KiB serialized. */
export const Metadata = z
  .record(z.string(), z.unknown())
  .refine((value) => utf8.encode(JSON.stringify(value)).byteLength <= METADATA_MAX_BYTES, {
    error: `must be at most ${METADATA_MAX_BYTES} bytes as JSON`,
  });

/** A bounded, trimmed human name (user names, organization names, role names). */
export function name(max = 100) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !v.includes('\u0000'), { error: 'must not contain NUL' });
}

/** A password: 8–1024 characters, so nobody can feed argon2 a megabyte. */
export const Password = z.string().min(8).max(1024);

/**
 * A password offered to be checked (sign-in, re-authentication): any length up to the same cap,
 * so one shorter than the policy is simply wrong (401 `invalid_credentials`), never a 400 that
 * tells it apart from other wrong passwords.
 */
export const SubmittedPassword = z.string().max(1024);

/** Query parameters of a backend list. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/**
 * A search term in a query string, trimmed. An empty or blank term is refused rather than read
 * as "no filter": a caller passing through an empty input must not get every row back. Leave
 * the parameter out to list everything.
 */
export const SearchTerm = z.string().trim().min(1, { error: 'must not be empty; leave it out to list everything' }).max(200);

/** A boolean in a query string: `true` or `false`. */
export const QueryBoolean = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** Backend list envelope: `{ data, hasMore, nextCursor }`. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), hasMore: z.boolean(), nextCursor: z.string().nullable() });
}

/** Frontend list input fields: `limit` and `cursor`. */
export const FrontendPage = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

/** The `{ id, deleted: true }` answer of a backend DELETE. */
export const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });

/** The `{ ok: true }` answer of frontend operations that return nothing else. */
export const Ok = z.object({ ok: z.literal(true) });
