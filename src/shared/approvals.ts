import { z } from 'zod';
import type { AdjustmentLine } from './adjustment';

/** A line waiting for a manager (or decided), as the approval list shows it. */
export interface HeldLineView {
  heldId: string;
  line: AdjustmentLine;
  /** Why it waits, in words. */
  why: string;
  state: 'waiting' | 'approved' | 'refused';
  createdAt: string;
  createdBy: string;
  createdById: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  /** The manager's reason for refusing, shown to the clerk. */
  refusal: string | null;
  /** The line it became, once approved. */
  lineRecordId: string | null;
}

const heldId = z.string({ error: 'must be a held line’s ID' }).min(1).max(64);

export const approvalInputs = {
  list: z.strictObject({}),
  count: z.strictObject({}),
  approve: z.strictObject({ heldId }),
  refuse: z.strictObject({
    heldId,
    reason: z
      .string({ error: 'must be a string' })
      .trim()
      .min(3, { error: 'must say why, in at least 3 characters' })
      .max(500, { error: 'must be at most 500 characters' }),
  }),
} as const;
