/** Tables of the outbox and JWT signing keys (migration 0004). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the email and session-token work.
export interface EmailTables {}
