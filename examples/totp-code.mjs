// The current 6-digit code of a base32 TOTP secret, as an authenticator app shows it.
// A stand-in for the phone in the README's walkthrough:
//   node examples/totp-code.mjs JBSWY3DPEHPK3PXP
import { TOTP } from 'otpauth';

const [secret] = process.argv.slice(2);
if (!secret) {
  console.error('usage: node examples/totp-code.mjs <base32 secret>');
  process.exit(2);
}
console.log(new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate());
