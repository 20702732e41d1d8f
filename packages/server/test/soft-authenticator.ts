import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A software WebAuthn authenticator (ES256, "none" attestation) for API tests without a browser:
 * it answers creation and request options the way a browser and a platform authenticator would,
 * and lets a test bend one thing at a time (origin, flags, counter, user handle, signature).
 */

/** The smallest CBOR encoder the attestation object needs (RFC 8949: ints, bytes, text, maps). */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

const b64 = (b: Buffer) => b.toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export interface Bend {
  origin?: string;
  rpId?: string;
  /** Leave out the user-verified flag. */
  noUserVerification?: boolean;
  type?: string;
}

export interface SoftAuthenticator {
  credentialId: string;
  counter: number;
  create(options: CreationOptions, bend?: Bend): Record<string, unknown>;
  get(options: RequestOptions, bend?: Bend & { userHandle?: string; badSignature?: boolean; counter?: number }): Record<string, unknown>;
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

/** A new authenticator holding one credential, to be used with pages of `origin`. */
export function softAuthenticator(origin: string): SoftAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = (publicKey as KeyObject).export({ format: 'jwk' });
  const credentialId = randomBytes(32);
  let userHandle = '';
  const cose = cbor(
    new Map<number, unknown>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ]),
  );
  const authData = (rpId: string, flags: number, counter: number, attested: boolean): Buffer => {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts: Buffer[] = [sha256(rpId), Buffer.from([flags]), count];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(credentialId.length);
      parts.push(Buffer.alloc(16), length, credentialId, cose);
    }
    return Buffer.concat(parts);
  };
  const host = new URL(origin).hostname;
  const self: SoftAuthenticator = {
    credentialId: b64(credentialId),
    counter: 0,
    create(options, bend = {}) {
      userHandle = options.user.id;
      const flags = FLAG_UP | FLAG_AT | (bend.noUserVerification ? 0 : FLAG_UV);
      const data = authData(bend.rpId ?? options.rp.id ?? host, flags, self.counter, true);
      const attestationObject = cbor(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', data],
        ]),
      );
      return {
        id: self.credentialId,
        rawId: self.credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: b64(clientData(bend.type ?? 'webauthn.create', options.challenge, bend.origin ?? origin)),
          attestationObject: b64(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
    get(options, bend = {}) {
      self.counter = bend.counter ?? self.counter + 1;
      const flags = FLAG_UP | (bend.noUserVerification ? 0 : FLAG_UV);
      const data = authData(bend.rpId ?? options.rpId ?? host, flags, self.counter, false);
      const client = clientData(bend.type ?? 'webauthn.get', options.challenge, bend.origin ?? origin);
      let signature = sign('sha256', Buffer.concat([data, sha256(client)]), privateKey);
      if (bend.badSignature) signature = sign('sha256', Buffer.from('something else'), privateKey);
      return {
        id: self.credentialId,
        rawId: self.credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: b64(client),
          authenticatorData: b64(data),
          signature: b64(signature),
          userHandle: bend.userHandle ?? userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
  return self;
}
