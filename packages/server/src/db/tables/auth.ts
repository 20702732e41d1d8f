/** Tables of sign-in, sessions, signing keys, the outbox and rate limits (migration 0002). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the sessions work.
export interface AuthTables {}
