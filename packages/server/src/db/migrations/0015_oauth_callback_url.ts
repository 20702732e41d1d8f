import { type Kysely, sql } from 'kysely';

/**
 * Social sign-in through an app's connector: a sign-in in flight remembers the redirect URI it sent
 * the provider (one of `OAUTH_CALLBACK_URLS`), since the code exchange must repeat it. Null is
 * Gatehouse's own `PUBLIC_URL/v1/auth/oauth/callback`, so the rows already in flight keep working.
 */
export const m0015OauthCallbackUrl = {
  async up(db: Kysely<unknown>) {
    await sql`alter table oauth_states add column callback_url text`.execute(db);
  },
};
