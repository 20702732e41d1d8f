import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Thrown for a configuration a person must fix; its message says how. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Everything Gatehouse reads from the environment, read once at start. */
export interface Config {
  port: number;
  host: string;
  /** Where browsers reach Gatehouse; its origin is always allowed. */
  publicUrl: string;
  rpId: string;
  /** Origins allowed to call the frontend API with credentials (CORS and the CSRF check). */
  allowedOrigins: string[];
  /** PostgreSQL URL; unset means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** An admin secret key accepted in addition to the stored ones. */
  secretKey: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  redisUrl: string | undefined;
  logLevel: string;
  /** How many reverse-proxy hops to trust in `X-Forwarded-For` (0: use the socket address). */
  trustProxy: number;
  /** 32 bytes for AES-256-GCM; resolved by {@link resolveEncryptionKey} (from the env or the data dir). */
  encryptionKey: Buffer | undefined;
  sessionIdleTtlSeconds: number;
  sessionAbsoluteTtlSeconds: number;
  sessionTokenTtlSeconds: number;
  invitationUrl: string;
  /**
   * Redirect URIs of social sign-in besides `PUBLIC_URL/v1/auth/oauth/callback`: the callbacks of
   * apps' connectors (`https://app.example.com/api/auth/v1/auth/oauth/callback`), each on an allowed
   * origin. A start may ask for one of these exactly, nothing else.
   */
  oauthCallbackUrls: string[];
  /** Overrides of the auth rate limits, e.g. `signInAccount=5/900,signUpIp=50/3600` (rule=points/seconds). */
  rateLimits: string | undefined;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute URL such as https://auth.example.com, got "${raw}"`);
  }
}

function parseEncryptionKey(raw: string, source: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32) throw new ConfigError(`${source} must be 32 bytes in base64 (try: openssl rand -base64 32)`);
  return key;
}

/** Read the configuration from environment variables (see the README's table). */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8787);
  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  const rawKey = env.GATEHOUSE_ENCRYPTION_KEY;
  if (databaseUrl && !rawKey) {
    throw new ConfigError(
      'GATEHOUSE_ENCRYPTION_KEY is required with DATABASE_URL, so that every process shares it. Generate one with: openssl rand -base64 32',
    );
  }
  const origins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new ConfigError(`ALLOWED_ORIGINS must be comma-separated origins such as https://app.example.com, got "${o}"`);
      }
    });
  const allowedOrigins = [...new Set([new URL(publicUrl).origin, ...origins])];
  return {
    port,
    host: env.HOST || '127.0.0.1',
    publicUrl,
    rpId: env.RP_ID || new URL(publicUrl).hostname,
    allowedOrigins,
    databaseUrl,
    dataDir: resolve(env.GATEHOUSE_DATA_DIR || '.gatehouse'),
    secretKey: env.GATEHOUSE_SECRET_KEY || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || `Gatehouse <no-reply@${new URL(publicUrl).hostname}>`,
    redisUrl: env.REDIS_URL || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: integer(env, 'TRUST_PROXY', 0),
    encryptionKey: rawKey ? parseEncryptionKey(rawKey, 'GATEHOUSE_ENCRYPTION_KEY') : undefined,
    sessionIdleTtlSeconds: integer(env, 'SESSION_IDLE_TTL', 7 * 24 * 3600, 60),
    sessionAbsoluteTtlSeconds: integer(env, 'SESSION_ABSOLUTE_TTL', 30 * 24 * 3600, 60),
    sessionTokenTtlSeconds: integer(env, 'SESSION_TOKEN_TTL', 60, 5),
    invitationUrl: url(env, 'INVITATION_URL', `${publicUrl}/playground/accept`),
    oauthCallbackUrls: oauthCallbackUrls(env.OAUTH_CALLBACK_URLS, allowedOrigins),
    rateLimits: env.RATE_LIMITS || undefined,
  };
}

/** The path every social sign-in callback ends with: Gatehouse's own, or a connector's in front of it. */
export const OAUTH_CALLBACK_PATH = '/v1/auth/oauth/callback';

/**
 * `OAUTH_CALLBACK_URLS`: exact URLs, each http(s) on an allowed origin, its path ending with the
 * callback's (a connector's mount in front), no query, no fragment. Anything looser would let a start
 * send the provider's code to a page that does not finish the sign-in, where it could leak.
 */
function oauthCallbackUrls(raw: string | undefined, allowedOrigins: string[]): string[] {
  const urls = (raw ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  return [
    ...new Set(
      urls.map((u) => {
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          throw new ConfigError(`OAUTH_CALLBACK_URLS must be comma-separated absolute URLs, got "${u}"`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`OAUTH_CALLBACK_URLS: "${u}" is not http(s)`);
        if (url.search || url.hash || url.username || url.password || url.href !== u) {
          throw new ConfigError(`OAUTH_CALLBACK_URLS: "${u}" must be a plain URL with no query, fragment or credentials`);
        }
        if (!url.pathname.endsWith(OAUTH_CALLBACK_PATH)) {
          throw new ConfigError(`OAUTH_CALLBACK_URLS: "${u}" must end with ${OAUTH_CALLBACK_PATH} (a connector's callback)`);
        }
        if (!allowedOrigins.includes(url.origin)) {
          throw new ConfigError(`OAUTH_CALLBACK_URLS: the origin of "${u}" must be PUBLIC_URL's or in ALLOWED_ORIGINS`);
        }
        return u;
      }),
    ),
  ];
}

/**
 * With PGlite and no GATEHOUSE_ENCRYPTION_KEY, the key lives in the data dir: generated at first
 * start (mode 0600) and read back afterwards.
 */
export function resolveEncryptionKey(config: Config): Buffer {
  if (config.encryptionKey) return config.encryptionKey;
  const file = join(config.dataDir, 'encryption.key');
  if (existsSync(file)) return parseEncryptionKey(readFileSync(file, 'utf8'), file);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
