import type { OAuthCallbackError } from '@gatehouse/contract';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../http/context.js';
import { fromDatabaseError } from '../../http/errors.js';
import { newId } from '../../security/ids.js';
import { secretsEqual, sha256 } from '../../security/tokens.js';
import { recordEvent } from '../audit/record.js';
import { findAccountByEmail } from '../auth/queries.js';
import { completeSignIn, SECOND_FACTOR_TTL_MS } from '../auth/sign-in.js';
import { secondFactorsOf } from '../mfa/queries.js';
import { insertUser } from '../users/queries.js';
import { browserCookiePath, callbackUrl } from './present.js';
import { completeFlow, OAuthFailure, type ProviderProfile } from './providers.js';
import * as oq from './queries.js';

/** The cookie that ties a sign-in in flight to the browser that started it. */
export const BROWSER_COOKIE = '__gatehouse_oauth';

/** A refusal the user is sent back to the app with, as `?error=<code>`. */
class CallbackRefusal extends Error {
  constructor(readonly code: OAuthCallbackError) {
    super(code);
  }
}

/** `redirectUrl` with these query parameters added (its own kept). */
function withQuery(redirectUrl: string, params: Record<string, string>): string {
  const url = new URL(redirectUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** With no usable state there is no trusted place to send the browser: a page says what happened. */
function errorPage(c: Context<AppEnv>, message: string) {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head><body><h1>Sign-in failed</h1><p>${escapeHtml(message)}</p><p>Go back to the app and start the sign-in again.</p></body></html>`,
    400,
  );
}

/**
 * Who this provider account is in Gatehouse, linking or creating as the rules allow (docs/decisions.md,
 * "Social sign-in"): the linked user; else, when an account has the email, a link only if both the
 * provider and the account hold it verified; else a new user, its email verified only when the
 * provider says so. One transaction, with the audit event.
 */
async function resolveUser(deps: Deps, c: Context<AppEnv>, providerId: string, profile: ProviderProfile): Promise<string> {
  const { db, encryptionKey: key, clock } = deps;
  return db.transaction().execute(async (tx) => {
    const now = clock.now();
    const linked = await oq.findConnectionBySubject(tx, providerId, profile.subject);
    if (linked) {
      await oq.recordConnectionUse(tx, key, linked.id, profile, now);
      return linked.user_id;
    }
    if (!profile.email) throw new CallbackRefusal('oauth_email_missing');
    const account = await findAccountByEmail(tx, profile.email);
    let userId: string;
    let created = false;
    if (account) {
      if (!profile.emailVerified || !account.verified) throw new CallbackRefusal('oauth_account_exists_unverified');
      const other = await tx
        .selectFrom('social_connections')
        .select('id')
        .where('provider_id', '=', providerId)
        .where('user_id', '=', account.userId)
        .executeTakeFirst();
      if (other) throw new CallbackRefusal('oauth_already_linked');
      userId = account.userId;
    } else {
      const user = await insertUser(
        tx,
        {
          email: profile.email,
          emailVerified: profile.emailVerified,
          passwordHash: null,
          firstName: profile.firstName?.slice(0, 100) ?? null,
          lastName: profile.lastName?.slice(0, 100) ?? null,
          imageUrl: profile.imageUrl && /^https:\/\//.test(profile.imageUrl) && profile.imageUrl.length <= 2000 ? profile.imageUrl : null,
        },
        now,
      );
      userId = user.id;
      created = true;
    }
    const connectionId = await oq.insertConnection(tx, key, { userId, providerId, profile }, now);
    await recordEvent(tx, {
      organizationId: null,
      action: 'user.social_connection_linked',
      actor: { type: 'user', id: userId },
      target: { type: 'user', id: userId },
      ip: c.get('ip') ?? null,
      data: { connectionId, providerId, userCreated: created },
      at: now,
    });
    return userId;
  });
}

/**
 * `GET /v1/auth/oauth/callback`: the provider sends the browser here. The state is used up first
 * (whatever follows, it never works again), then the browser, the expiry and the provider are
 * checked, the code is exchanged (PKCE, nonce), the user is found, linked or created, and the
 * browser goes back to the app: signed in, or at a second-factor step, or with `?error=`.
 */
export async function handleCallback(c: Context<AppEnv>, deps: Deps) {
  const { db, encryptionKey: key, clock, config } = deps;
  const state = c.req.query('state');
  if (!state || state.length > 512) return errorPage(c, 'This sign-in link is incomplete.');
  const flow = await oq.consumeState(db, key, state);
  if (!flow) return errorPage(c, 'This sign-in is unknown or was already used.');
  // The redirect URI of this flow: Gatehouse's own, or the app's connector callback it came through.
  const callback = flow.callback_url ?? callbackUrl(config);
  const browserSecret = getCookie(c, BROWSER_COOKIE);
  deleteCookie(c, BROWSER_COOKIE, {
    path: browserCookiePath(callback),
    httpOnly: true,
    sameSite: 'Lax',
    secure: callback.startsWith('https:'),
  });
  const back = (params: Record<string, string>) => c.redirect(withQuery(flow.redirect_url, params), 302);
  const log = c.get('log');
  try {
    if (!browserSecret || !secretsEqual(sha256(browserSecret), flow.browser_hash)) throw new CallbackRefusal('oauth_state_mismatch');
    if (flow.expires_at <= clock.now()) throw new CallbackRefusal('oauth_expired');
    const provider = await oq.findProvider(db, flow.provider_id);
    if (!provider?.enabled) throw new CallbackRefusal('oauth_provider_disabled');
    const current = new URL(`${callback}?${new URL(c.req.url).searchParams.toString()}`);
    let profile: ProviderProfile;
    try {
      profile = await completeFlow(oq.settingsOf(key, provider), current, { state, codeVerifier: flow.codeVerifier, nonce: flow.nonce });
    } catch (error) {
      if (!(error instanceof OAuthFailure)) throw error;
      log.info({ reason: error.message, providerId: provider.id }, 'social sign-in refused');
      throw new CallbackRefusal(error.code);
    }
    const userId = await resolveUser(deps, c, provider.id, profile).catch((error: unknown) => {
      // Another callback linked this provider account (or took the email) a moment ago: a unique index said so.
      if (fromDatabaseError(error)?.code === 'conflict') throw new CallbackRefusal('oauth_already_linked');
      throw error;
    });
    const factors = await secondFactorsOf(db, userId);
    if (factors.length > 0) {
      // Like a right password: no session until a second factor is given for this attempt.
      const now = clock.now();
      const attemptId = newId('signInAttempt', now);
      await db
        .insertInto('second_factor_attempts')
        .values({
          id: attemptId,
          user_id: userId,
          expires_at: new Date(now.getTime() + SECOND_FACTOR_TTL_MS),
          consumed_at: null,
          created_at: now,
        })
        .execute();
      return back({ oauth: 'needs_second_factor', attemptId, factors: factors.join(',') });
    }
    await completeSignIn(c, deps, userId, await deps.resolvePrincipal(c));
    return back({});
  } catch (error) {
    if (!(error instanceof CallbackRefusal)) throw error;
    log.info({ code: error.code, providerId: flow.provider_id }, 'social sign-in not completed');
    return back({ error: error.code });
  }
}
