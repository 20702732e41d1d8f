import type { Config } from '../../config.js';
import type { OutgoingEmail } from '../email/outbox.js';

/** The plain-text emails of sign-up, added addresses and password resets. */

const CODE_MINUTES = 10;

export function signUpCodeEmail(to: string, code: string, expiresAt: Date): OutgoingEmail {
  return {
    to,
    kind: 'verify_email',
    subject: 'Your verification code',
    text: [
      'Hello,',
      '',
      `Your verification code is: ${code}`,
      '',
      `Enter it to finish creating your account. It expires in ${CODE_MINUTES} minutes and works once.`,
      '',
      'If you did not try to sign up, ignore this email: no account is created without the code.',
    ].join('\n'),
    secretExpiresAt: expiresAt,
  };
}

/** Sent instead of a code when someone signs up with an address that already has an account. */
export function existingAccountEmail(to: string, config: Config): OutgoingEmail {
  return {
    to,
    kind: 'sign_up_notice',
    subject: 'You already have an account',
    text: [
      'Hello,',
      '',
      'Someone (hopefully you) tried to sign up with this email address, but it already has an account.',
      '',
      `To get in, sign in instead. If you forgot your password, reset it at ${config.publicUrl}/reset-password`,
      '',
      'If this was not you, you can ignore this email: nothing was changed.',
    ].join('\n'),
  };
}

export function addEmailCodeEmail(to: string, code: string, expiresAt: Date): OutgoingEmail {
  return {
    to,
    kind: 'verify_email',
    subject: 'Your verification code',
    text: [
      'Hello,',
      '',
      `Your code to add this email address to your account is: ${code}`,
      '',
      `It expires in ${CODE_MINUTES} minutes and works once.`,
      '',
      'If you did not ask for this, ignore this email: the address is not added without the code.',
    ].join('\n'),
    secretExpiresAt: expiresAt,
  };
}

/** Sent instead of a code when the address being added belongs to another account. */
export function addressInUseEmail(to: string): OutgoingEmail {
  return {
    to,
    kind: 'add_email_notice',
    subject: 'Someone tried to add your email address',
    text: [
      'Hello,',
      '',
      'Someone tried to add this email address to another account. It already belongs to your account, so nothing was changed.',
      '',
      'If this was you, remove the address from the other account first, or sign in with it.',
    ].join('\n'),
  };
}

export function passwordResetEmail(to: string, link: string, expiresAt: Date): OutgoingEmail {
  return {
    to,
    kind: 'password_reset',
    subject: 'Reset your password',
    text: [
      'Hello,',
      '',
      'To choose a new password, open this link:',
      '',
      link,
      '',
      'It expires in 1 hour and works once. Resetting signs you out everywhere.',
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
    secretExpiresAt: expiresAt,
  };
}

export function passwordChangedEmail(to: string): OutgoingEmail {
  return {
    to,
    kind: 'password_changed',
    subject: 'Your password was changed',
    text: [
      'Hello,',
      '',
      'The password of your account was just changed, and your other sessions were signed out.',
      '',
      'If this was not you, reset your password right away.',
    ].join('\n'),
  };
}
