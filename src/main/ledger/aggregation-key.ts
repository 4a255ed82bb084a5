import { SCM_DIMENSIONS } from '../../shared/dimensions';

export interface KeyFields {
  organization_id: string;
  product_id: string;
  quantity_data_source: string;
  physical_measure: string;
  fno_journal_name_id?: string | null;
  cost_price?: number | null;
  trans_date: string;
}

/**
 * The aggregation key (domain.md §2): everything that reaches SCM, nothing that does not
 * (external dimensions and references). Computed once when a line is recorded; lines with
 * equal keys are summed into one aggregated line.
 */
export function aggregationKey(line: KeyFields, dimensions: Record<string, string>): string {
  return JSON.stringify([
    line.organization_id,
    line.product_id,
    line.quantity_data_source,
    line.physical_measure,
    ...SCM_DIMENSIONS.map((d) => dimensions[d] ?? null),
    line.fno_journal_name_id ?? null,
    line.cost_price ?? null,
    line.trans_date,
  ]);
}
