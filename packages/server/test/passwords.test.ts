import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/security/passwords.js';

describe('password hashing', () => {
  it('uses argon2id with OWASP parameters (m=19 MiB, t=2, p=1) and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});
