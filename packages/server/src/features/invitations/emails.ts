import type { OutgoingEmail } from '../email/outbox.js';

/** The plain-text invitation email. The link carries the token in its fragment (see acceptUrl). */
export function invitationEmail(input: {
  to: string;
  organizationName: string;
  workspaceName: string | null;
  inviterName: string | null;
  acceptUrl: string;
  expiresAt: Date;
}): OutgoingEmail {
  const who = input.inviterName ? `${input.inviterName} invited you` : 'You are invited';
  const where = input.workspaceName ? `the ${input.workspaceName} workspace of ${input.organizationName}` : input.organizationName;
  return {
    to: input.to,
    kind: 'invitation',
    subject: `You are invited to join ${input.organizationName}`,
    text: [
      'Hello,',
      '',
      `${who} to join ${where}.`,
      '',
      'To accept, open this link and sign in (or sign up) with this email address:',
      '',
      input.acceptUrl,
      '',
      `The invitation expires on ${input.expiresAt.toISOString().slice(0, 10)} and works once.`,
      '',
      'If you did not expect this, ignore this email: nothing happens until you accept.',
    ].join('\n'),
    secretExpiresAt: input.expiresAt,
  };
}
