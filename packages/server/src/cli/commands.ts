import { parseArgs } from 'node:util';
import * as ops from '@gatehouse/contract';
import { type Config, ConfigError } from '../config.js';
import { type Backend, BackendError, collect, withBackend } from './backend.js';

/** `gatehouse keys …` and `gatehouse outbox`. */

export async function keys(config: Config, args: string[], signal: AbortSignal) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, env: { type: 'string' }, key: { type: 'string' } },
  });
  const [action, id] = positionals;
  const run = <T>(fn: (backend: Backend) => Promise<T>) => withBackend(config, values.key, signal, fn);
  if (action === 'list') {
    const rows = await run((backend) =>
      collect((cursor, limit) => backend.call(ops.listSecretKeys, { query: { limit, ...(cursor ? { cursor } : {}) } })),
    );
    if (rows.length === 0) console.log('No secret keys.');
    for (const k of rows) {
      console.log(`${k.id}  ${k.env}  …${k.lastFour}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
    }
  } else if (action === 'create') {
    const env = values.env ?? 'live';
    if (env !== 'live' && env !== 'test') throw new ConfigError('--env must be live or test');
    const body = { name: values.name ?? 'CLI key', env } as const;
    const { secretKey, secret } = await run((backend) => backend.call(ops.createSecretKey, { body }));
    console.log(`Created ${secretKey.id}. The secret is shown this once:\n  ${secret}`);
  } else if (action === 'revoke' && id) {
    const revoked = await run((backend) => backend.call(ops.revokeSecretKey, { params: { keyId: id } })).catch((error: unknown) => {
      if (error instanceof BackendError && error.code === 'not_found') {
        throw new ConfigError(`No secret key ${id}. Run \`gatehouse keys list\` to see them.`);
      }
      throw error;
    });
    console.log(`Revoked ${revoked.id}.`);
  } else if (action === 'rotate-signing') {
    const { active, retired } = await run((backend) => backend.call(ops.rotateSigningKey));
    console.log(`New signing key ${active.id} is active; running servers use it within seconds.`);
    if (retired) {
      console.log(
        `Retired ${retired.id}: it stays in /.well-known/jwks.json until ${retired.publishedUntil}, so tokens it signed still verify.`,
      );
    }
  } else {
    throw new ConfigError('Unknown keys command: use list, create, revoke <keyId> or rotate-signing (`gatehouse help`).');
  }
}

/** Print recent outbox emails: without SMTP_URL, this is where sign-up codes and links wait. */
export async function outbox(config: Config, args: string[], signal: AbortSignal) {
  const { values } = parseArgs({ args, options: { limit: { type: 'string' }, to: { type: 'string' }, key: { type: 'string' } } });
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError('--limit must be a whole number from 1 to 1000');
  const to = values.to?.trim().toLowerCase();
  const rows = await withBackend(config, values.key, signal, (backend) =>
    collect(
      (cursor, room) => backend.call(ops.listOutbox, { query: { limit: room, ...(to ? { to } : {}), ...(cursor ? { cursor } : {}) } }),
      limit,
    ),
  );
  if (rows.length === 0) console.log('The outbox is empty.');
  for (const m of rows) {
    const state =
      m.status === 'sent' ? `sent ${m.sentAt}` : m.status === 'failed' ? `failed: ${m.lastError}` : `pending (${m.attempts} attempts)`;
    console.log(`${m.id}  ${m.createdAt}  ${m.kind}  to ${m.to}  ${state}\n  Subject: ${m.subject}`);
    if (m.text !== null) console.log(m.text.replace(/^/gm, '  | '));
    console.log('');
  }
}
