import { Alert } from '@mantine/core';
import type { EntryWarning } from '../../../../shared/master-data';

/** Cautions from the store's copy of SCM's master data: words, never a refusal. */
export function EntryCautions({
  warnings,
  suffix = '',
}: {
  warnings: readonly EntryWarning[];
  suffix?: string;
}) {
  return warnings.map((w) => (
    <Alert key={`${w.field}:${w.message}`} color="yellow" role="status">
      {w.message}
      {suffix}
    </Alert>
  ));
}
