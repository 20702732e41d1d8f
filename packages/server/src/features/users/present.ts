import type { ContactRow } from './contacts.js';
import type { UserRow } from './queries.js';

/** An email or phone, by the name of its value field. */
export function presentContact<K extends 'email' | 'phone'>(kind: K, row: ContactRow) {
  return { id: row.id, [kind]: row.value, verified: row.verified, primary: row.is_primary } as {
    id: string;
    verified: boolean;
    primary: boolean;
  } & Record<K, string>;
}

/** A user as the frontend API shows it: an allow-list, so hashes and private metadata never leak. */
export function presentUser(row: UserRow) {
  const emails = row.emails.map((e) => ({ id: e.id, email: e.email, verified: e.verified, primary: e.is_primary }));
  return {
    id: row.id,
    email: emails.find((e) => e.primary)?.email ?? null,
    emails,
    phones: row.phones.map((p) => ({ id: p.id, phone: p.phone, verified: p.verified, primary: p.is_primary })),
    firstName: row.first_name,
    lastName: row.last_name,
    username: row.username,
    imageUrl: row.image_url,
    hasPassword: row.password_hash !== null,
    totpEnabled: Boolean(row.totp_enabled),
    backupCodesRemaining: Number(row.backup_codes_remaining ?? 0),
    publicMetadata: row.public_metadata,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A user as the backend API shows it: the frontend shape plus private metadata. */
export function presentBackendUser(row: UserRow) {
  return { ...presentUser(row), privateMetadata: row.private_metadata };
}
