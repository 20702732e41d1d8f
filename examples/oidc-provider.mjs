// A local OpenID provider to try social sign-in with, no account anywhere needed (the README's
// "Social sign-in" walkthrough). It signs in anyone: type any login (an email, or a name that
// becomes <name>@example.com) and any password, then Continue. Development only.
//   node examples/oidc-provider.mjs
// Env: PORT (default 9000), GATEHOUSE_URL (default http://localhost:8787: the callback it allows),
// APP_CALLBACK_URL (optional: an app's connector callback it allows too, e.g.
// http://localhost:3000/api/auth/v1/auth/oauth/callback).
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 9000);
const gatehouse = (process.env.GATEHOUSE_URL || 'http://localhost:8787').replace(/\/$/, '');
const issuer = `http://localhost:${port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'gatehouse-demo',
      client_secret: 'demo-secret-change-me',
      redirect_uris: [`${gatehouse}/v1/auth/oauth/callback`, ...(process.env.APP_CALLBACK_URL ? [process.env.APP_CALLBACK_URL] : [])],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'demo', use: 'sig', alg: 'RS256' }] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name'] },
  // The library's built-in login and consent pages.
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['demo-only-not-secret'] },
  async findAccount(_ctx, login) {
    const email = login.includes('@') ? login.toLowerCase() : `${login.toLowerCase()}@example.com`;
    return { accountId: login, claims: () => ({ sub: login, email, email_verified: true, given_name: login.split('@')[0] }) };
  },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`OpenID provider at ${issuer} (client gatehouse-demo), redirecting to ${gatehouse}/v1/auth/oauth/callback`);
});
