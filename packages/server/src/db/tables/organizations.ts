/** Tables of organizations, roles, memberships and the audit log (migration 0003). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the organizations work.
export interface OrganizationTables {}
