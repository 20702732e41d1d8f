import { z } from 'zod';
import { Timestamp } from './common.js';
import { idOf } from './ids.js';
import { roleChoice } from './organizations.js';

/** Where a join code stands: `active` codes can be used; the three others all answer 410 `join_code_invalid`. */
export const JoinCodeStatus = z.enum(['active', 'revoked', 'expired', 'exhausted']).meta({ id: 'JoinCodeStatus' });

/** A shareable join code, without its secret (shown once, when it is created). */
export const JoinCode = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    role: z.string().meta({ description: 'The key of the role a joiner gets' }),
    roleId: z.string(),
    maxUses: z.number().int().nullable().meta({ description: 'Null: unlimited' }),
    uses: z.number().int(),
    status: JoinCodeStatus,
    expiresAt: Timestamp.nullable(),
    createdAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'JoinCode' });

/** A join code as created: the code itself appears here and nowhere else, ever. */
export const JoinCodeCreated = z.object({ joinCode: JoinCode, code: z.string() }).meta({ id: 'JoinCodeCreated' });

/** Most uses a join code may allow; `null` allows any number. */
export const JOIN_CODE_MAX_USES = 1_000_000;

/** The fields of a join code to create, on both APIs. */
export const joinCodeFields = {
  ...roleChoice,
  maxUses: z
    .number()
    .int()
    .min(1)
    .max(JOIN_CODE_MAX_USES)
    .nullable()
    .optional()
    .meta({ description: 'How many people may join with it; null or absent: unlimited' }),
  expiresAt: Timestamp.nullable()
    .optional()
    .meta({ description: 'When it stops working, in the future; absent: 7 days from now; null: never' }),
};

/** A join code as someone types or pastes it: separators, spaces and case do not matter. */
export const JoinCodeInput = z.string().trim().min(1).max(100);

/** Path parameters naming one join code of an organization. */
export const JoinCodeParams = z.strictObject({ orgId: idOf('organization'), joinCodeId: idOf('joinCode') });
