// A customer's machine acting as its organization with an org API token: it reads what the token's
// permissions allow, and is refused everything else. Run from the repository root:
//   GATEHOUSE_ORG_TOKEN=gh_live_…:… ORG=org_… node examples/org-token.mjs
import { createClient, GatehouseError } from '@gatehouse/sdk';

const machine = createClient({
  baseUrl: process.env.GATEHOUSE_URL ?? 'http://localhost:8787',
  apiToken: process.env.GATEHOUSE_ORG_TOKEN, // sent as Authorization: Bearer <key>:<secret>
});
const organizationId = process.env.ORG;

const { organization } = await machine.organizations.get({ organizationId });
console.log('organization', organization.id, organization.name);
const { members } = await machine.organizations.members.list({ organizationId });
console.log('members', members.map((m) => `${m.user.email}:${m.role}`).join(' '));

/** Print how a call the token may not make is refused. */
async function refused(label, call) {
  try {
    await call();
    console.log(label, 'allowed');
  } catch (error) {
    if (!(error instanceof GatehouseError)) throw error;
    console.log(label, error.status, error.code);
  }
}
// Beyond the token's permissions (it has no org:manage).
await refused('rename', () => machine.organizations.update({ organizationId, name: 'Hijacked' }));
// Operations bound to a person are never open to a token.
await refused('list my organizations', () => machine.organizations.list());
// Another organization's id looks like one that does not exist.
await refused('another organization', () => machine.organizations.get({ organizationId: 'org_01jd5x3k8m2q4r6t8v0w2y4a6c' }));
