// Create a user, find it again and page through every user with the backend SDK.
// Run from the repository root while `npm start` is running:
//   GATEHOUSE_SECRET_KEY=sk_live_… node examples/backend-users.mjs
import { createBackendClient, GatehouseError } from '@gatehouse/sdk';

const gatehouse = createBackendClient({
  baseUrl: process.env.GATEHOUSE_URL ?? 'http://localhost:8787',
  secretKey: process.env.GATEHOUSE_SECRET_KEY,
});

const email = `grace+${Date.now()}@example.com`;
const user = await gatehouse.users.create({ email, firstName: 'Grace', lastName: 'Hopper', publicMetadata: { plan: 'pro' } });
console.log('created', user.id, user.email);

try {
  await gatehouse.users.create({ email });
} catch (error) {
  if (!(error instanceof GatehouseError)) throw error;
  console.log('second create:', error.status, error.code, error.message);
}

const found = await gatehouse.users.list({ search: 'grace' });
console.log('search found', found.data.length, 'user(s)');

let count = 0;
for await (const _ of gatehouse.users.listAll({ limit: 100 })) count++;
console.log('users in total:', count);
