// Verify a Gatehouse session JWT the way your server would: offline, against a saved JWKS.
// Run from the repository root while `npm start` is running:
//   curl -s http://localhost:8787/.well-known/jwks.json > jwks.json
//   node examples/verify-session-token.mjs jwks.json "$JWT"
import { readFileSync } from 'node:fs';
import { GatehouseError, verifySessionToken } from '@gatehouse/sdk';

const [jwksFile, token] = process.argv.slice(2);
if (!jwksFile || !token) {
  console.error('usage: node examples/verify-session-token.mjs <jwks.json> <session JWT>');
  process.exit(2);
}
const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
// The issuer is Gatehouse's PUBLIC_URL: set GATEHOUSE_ISSUER when yours is not the default.
const issuer = process.env.GATEHOUSE_ISSUER ?? 'http://localhost:8787';

try {
  const claims = await verifySessionToken(token, { jwks }, { issuer });
  console.log(`valid: user ${claims.sub}, session ${claims.sid}, expires ${new Date(claims.exp * 1000).toISOString()}`);
} catch (error) {
  if (!(error instanceof GatehouseError)) throw error;
  console.log(`refused: ${error.details?.reason ?? error.code} (${error.message})`);
  process.exit(1);
}
