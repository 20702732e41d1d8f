import type { BuiltInPermission, WorkspacePermission } from './permissions.js';

/**
 * A permission key: a built-in one, a workspace one, or the SaaS team's own `resource:action`
 * string registered in the catalog.
 */
export type Permission = BuiltInPermission | WorkspacePermission | (string & {});
