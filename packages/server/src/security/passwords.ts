import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (m=19 MiB, t=2, p=1). The hash string carries
 * its parameters, so raising them later still verifies old hashes.
 */
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of a random password, verified against when the account does not exist so timing matches. */
let dummyHash: Promise<string> | undefined;

/**
 * Verify a password against a stored hash. With no hash (unknown user, or no password set) a dummy
 * hash is verified anyway and the answer is false: the response time reveals nothing.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('gatehouse-dummy-password');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
