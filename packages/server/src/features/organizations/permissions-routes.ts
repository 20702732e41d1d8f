import * as ops from '@gatehouse/contract';
import { workspacePermissions } from '@gatehouse/contract';
import type { Context, Hono } from 'hono';
import type { Deps } from '../../deps.js';
import { bindBackend } from '../../http/bind.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { actorOf, recordEvent } from '../audit/record.js';
import { listCatalog, presentCatalogPermission } from './roles-queries.js';

/** The instance's permission catalog: built-ins plus the SaaS team's own `resource:action` keys. */
export function registerPermissionRoutes(app: Hono<AppEnv>, deps: Deps): void {
  const { db, clock } = deps;
  const who = (c: Context<AppEnv>) => {
    const principal = c.get('principal');
    if (!principal) throw new ApiError('unauthenticated');
    return { actor: actorOf(principal), ip: c.get('ip'), at: clock.now(), organizationId: null };
  };

  bindBackend(app, deps, ops.listPermissions, async () => {
    const rows = await listCatalog(db);
    return { data: rows.map(presentCatalogPermission), hasMore: false, nextCursor: null };
  });

  bindBackend(app, deps, ops.createPermission, async ({ body }, c) => {
    if (body.key in workspacePermissions) throw new ApiError('conflict', `${body.key} is a workspace permission; choose another key.`);
    const row = await db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('permissions')
        .values({ key: body.key, description: body.description })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning(['key', 'description', 'built_in'])
        .executeTakeFirst();
      if (!inserted) throw new ApiError('conflict', `The permission ${body.key} is already in the catalog.`);
      await recordEvent(tx, { ...who(c), action: 'permission.created', target: { type: 'permission', id: body.key }, data: {} });
      return inserted;
    });
    return presentCatalogPermission(row);
  });

  bindBackend(app, deps, ops.deletePermission, async ({ params }, c) => {
    await db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('permissions')
        .select(['key', 'built_in'])
        .where('key', '=', params.key)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new ApiError('not_found', 'No such permission.');
      if (row.built_in) throw new ApiError('conflict', `${row.key} is built in and cannot be deleted.`);
      const used = await tx
        .selectFrom('role_permissions')
        .select('role_id')
        .where('permission_key', '=', row.key)
        .limit(1)
        .executeTakeFirst();
      if (used) throw new ApiError('conflict', `Some roles use ${row.key}; remove it from them first.`);
      // The role_permissions foreign key refuses the delete too, should a role take it up meanwhile.
      await tx.deleteFrom('permissions').where('key', '=', row.key).execute();
      await recordEvent(tx, { ...who(c), action: 'permission.deleted', target: { type: 'permission', id: row.key }, data: {} });
    });
    return { key: params.key, deleted: true as const };
  });
}
