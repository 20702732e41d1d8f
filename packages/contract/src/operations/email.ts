import { z } from 'zod';
import { PageQuery, page, Timestamp } from '../common.js';
import { backend } from '../operation.js';

const tag = 'Email outbox';

/** One email in the outbox. `text` is null once delivered, or once the secret in it expired. */
export const OutboxMessage = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string().nullable().meta({ description: 'The body; cleared after delivery and when its code or link expires' }),
    kind: z.string().meta({ description: 'What it is: `verify_email`, `password_reset`, `sign_up_notice`, `invitation`, …' }),
    status: z.enum(['pending', 'sent', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    sentAt: Timestamp.nullable(),
  })
  .meta({ id: 'OutboxMessage' });

export const listOutbox = backend({
  name: 'outbox.list',
  method: 'GET',
  path: '/outbox',
  query: PageQuery.extend({
    to: z.string().trim().toLowerCase().min(1).max(254).optional().meta({ description: 'Only messages to this exact address' }),
    kind: z.string().trim().min(1).max(64).optional().meta({ description: 'Only messages of this kind' }),
  }),
  output: page(OutboxMessage),
  summary: 'List outbox emails, newest first',
  description:
    'A development aid: without SMTP_URL, emails (with their codes and links) wait here. Bodies are cleared after delivery and when their secret expires.',
  tag,
});
