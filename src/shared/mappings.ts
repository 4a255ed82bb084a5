import { z } from 'zod';
import { TARGET_TRANSACTION_STATUSES, TARGET_TRANSACTION_TYPES } from './status';
import { hasControlChars } from './text';

/**
 * One row of *Fno integration mappings*, the settings list Microsoft's business layer has
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes).
 */
export const mappingSchema = z.strictObject({
  physicalMeasure: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be blank' })
    .max(64, { error: 'must be at most 64 characters' })
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' }),
  targetTransactionType: z
    .enum(TARGET_TRANSACTION_TYPES, { error: 'must be InventoryAdjustmentJournal' })
    .default('InventoryAdjustmentJournal'),
  targetTransactionStatus: z.enum(TARGET_TRANSACTION_STATUSES, { error: 'must be None, Created or Posted' }),
});
export type Mapping = z.output<typeof mappingSchema>;

export const DEFAULT_MAPPINGS: Mapping[] = [
  {
    physicalMeasure: 'adjustment',
    targetTransactionType: 'InventoryAdjustmentJournal',
    targetTransactionStatus: 'Posted',
  },
];

/** Measures match without regard to case, whatever the data source. */
export function mappingKey(physicalMeasure: string): string {
  return physicalMeasure.trim().toLowerCase();
}
