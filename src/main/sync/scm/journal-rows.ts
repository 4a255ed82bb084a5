/** The journals of one package, as rows keyed by the entities' OData field names [MD]. */
import { SCM_DIMENSION_COLUMNS, SCM_DIMENSIONS } from '../../../shared/dimensions';
import type { AggregatedLineRow } from '../../ledger/schema';
import type { JournalFile } from '../../upstream';

/** A package-local journal reference, linking lines to their header; SCM numbers the journal itself. */
export function journalReference(batchId: string, n: number): string {
  return `SL-${batchId.replace(/-/g, '').slice(-12)}-${n}`;
}

/** One journal line of the lines entity. */
export function journalLine(line: AggregatedLineRow, reference: string): JournalFile['lines'][number] {
  const dims = JSON.parse(line.dimensions) as Record<string, string>;
  const row: JournalFile['lines'][number] = {
    JournalNumber: reference,
    InventoryServiceTransactionId: line.aggregated_line_id,
    dataAreaId: line.organization_id,
    // Blank = the organization's default journal name in SCM.
    JournalNameId: line.fno_journal_name_id ?? '',
    ItemNumber: line.product_id,
    TransactionDate: line.trans_date,
    InventoryQuantity: line.quantity,
    // Blank = SCM's own costing.
    UnitCost: line.cost_price,
    // The offset [OFF]: SCM takes the same quantity back out of this IV measure.
    InventoryServiceAdjustmentOffsetDatasource: line.quantity_data_source,
    InventoryServiceAdjustmentOffsetPhysicalMeasure: line.physical_measure,
  };
  for (const d of SCM_DIMENSIONS) row[SCM_DIMENSION_COLUMNS[d]] = dims[d] ?? '';
  return row;
}

/**
 * Groups a package's lines into journals: one per journal name and expected status (SCM
 * makes one journal per header), at most `maxLines` lines each, in the order they were cut.
 * The expected status is a header field (InventoryServiceJournalExpectedStatus [MD]).
 */
export function toJournalFiles(
  batchId: string,
  lines: readonly AggregatedLineRow[],
  maxLines: number,
): JournalFile[] {
  const groups = new Map<string, AggregatedLineRow[]>();
  for (const line of lines) {
    const key = JSON.stringify([
      line.fno_journal_name_id?.toLowerCase() ?? null,
      line.target_transaction_status,
    ]);
    const group = groups.get(key) ?? [];
    group.push(line);
    groups.set(key, group);
  }
  const journals: JournalFile[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += maxLines) {
      const part = group.slice(i, i + maxLines);
      const first = part[0]!;
      const reference = journalReference(batchId, journals.length + 1);
      journals.push({
        header: {
          JournalNumber: reference,
          dataAreaId: first.organization_id,
          JournalNameId: first.fno_journal_name_id ?? '',
          Description: `Store Ledger ${reference}`,
          InventoryServiceJournalExpectedStatus:
            first.target_transaction_status === 'Posted' ? 'Posted' : 'Created',
        },
        lines: part.map((l) => journalLine(l, reference)),
      });
    }
  }
  return journals;
}
