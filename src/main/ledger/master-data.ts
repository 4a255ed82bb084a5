import type { EntryCheck, EntryWarning, OrganizationMasterData } from '../../shared/master-data';
import type { WriteSteps } from './bulk-writes';
import type { LedgerConnection } from './connection';
import { compiled, type WriteRequest } from './statement-runs';
import type { MdRefreshRow } from './store-knowledge-schema';

/** Rows per INSERT: under SQLite's bound-parameter limit for the widest table (4 columns). */
const CHUNK = 500;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/**
 * What the copy said about lines at their entry, as a write request (statement-runs.ts):
 * ingest records it in the same transaction as the lines, on whichever connection writes them.
 */
export function recordEntryChecks(checks: readonly EntryCheck[]): WriteRequest {
  return {
    op: 'run',
    sql: `INSERT INTO line_entry_checks (line_record_id, checked_at, master_data_as_of, item_name, warnings, scanned_code)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    rows: checks.map((c) => [
      c.lineRecordId,
      c.checkedAt,
      c.masterDataAsOf,
      c.itemName,
      JSON.stringify(c.warnings),
      c.scannedCode ?? null,
    ]),
  };
}

/** The store's copy of SCM's master data, and what it said about each line at entry. */
export class MasterDataStore {
  constructor(private readonly conn: LedgerConnection) {}

  /**
   * Replaces one organization's copy, as write steps for one transaction (ledger/bulk-writes.ts):
   * readers see the old copy or the new, never half, and a catalogue of 100,000 items is
   * written by the bulk writer's thread, not on the event loop.
   */
  *replacingOrganization(
    organizationId: string,
    data: OrganizationMasterData,
    refreshedAt: string,
  ): WriteSteps<void> {
    const { qb } = this.conn;
    const org = organizationId;
    for (const table of ['md_products', 'md_barcodes', 'md_sites', 'md_warehouses'] as const)
      yield compiled(qb.deleteFrom(table).where('organization_id', '=', org));
    for (const part of chunks(data.products))
      yield compiled(
        qb
          .insertInto('md_products')
          .values(
            part.map((p) => ({
              organization_id: org,
              item_number: p.itemNumber,
              name: p.name,
              tracking_group: p.trackingDimensionGroup,
            })),
          )
          .onConflict((oc) => oc.doNothing()),
      );
    for (const part of chunks(data.barcodes))
      yield compiled(
        qb
          .insertInto('md_barcodes')
          .values(
            part.map((b) => ({
              organization_id: org,
              barcode: b.barcode,
              item_number: b.itemNumber,
              dimensions: JSON.stringify(b.dimensions),
            })),
          )
          .onConflict((oc) => oc.doNothing()),
      );
    for (const part of chunks(data.sites))
      yield compiled(
        qb
          .insertInto('md_sites')
          .values(part.map((s) => ({ organization_id: org, site_id: s.siteId, name: s.name })))
          .onConflict((oc) => oc.doNothing()),
      );
    for (const part of chunks(data.warehouses))
      yield compiled(
        qb
          .insertInto('md_warehouses')
          .values(
            part.map((w) => ({
              organization_id: org,
              warehouse_id: w.warehouseId,
              site_id: w.siteId,
              name: w.name,
            })),
          )
          .onConflict((oc) => oc.doNothing()),
      );
    // Journal names SCM did not publish keep the previous copy (and are flagged unknown).
    if (data.journalNames) {
      yield compiled(qb.deleteFrom('md_journal_names').where('organization_id', '=', org));
      for (const part of chunks(data.journalNames))
        yield compiled(
          qb
            .insertInto('md_journal_names')
            .values(
              part.map((j) => ({
                organization_id: org,
                journal_name_id: j.journalNameId,
                description: j.description,
              })),
            )
            .onConflict((oc) => oc.doNothing()),
        );
    }
    const counts = JSON.stringify({
      products: data.products.length,
      barcodes: data.barcodes.length,
      sites: data.sites.length,
      warehouses: data.warehouses.length,
      journalNames: data.journalNames?.length ?? 0,
    });
    const values = {
      refreshed_at: refreshedAt,
      counts,
      notes: JSON.stringify(data.notes),
      journal_names_known: data.journalNames ? 1 : 0,
    };
    yield compiled(
      qb
        .insertInto('md_refreshes')
        .values({ organization_id: org, ...values })
        .onConflict((oc) => oc.column('organization_id').doUpdateSet(values)),
    );
  }

  refreshes(): MdRefreshRow[] {
    return this.conn.all(this.conn.qb.selectFrom('md_refreshes').selectAll().orderBy('organization_id'));
  }

  refreshOf(organizationId: string): MdRefreshRow | undefined {
    return this.conn.first(
      this.conn.qb.selectFrom('md_refreshes').selectAll().where('organization_id', '=', organizationId),
    );
  }

  product(organizationId: string, itemNumber: string) {
    return this.conn.first(
      this.conn.qb
        .selectFrom('md_products')
        .select(['item_number', 'name'])
        .where('organization_id', '=', organizationId)
        .where('item_number', '=', itemNumber),
    );
  }

  /**
   * Item names from the copy for a page of lines (an export's): one statement per organization,
   * keyed `organization \u0000 item`. An item the copy does not know has no entry.
   */
  productNames(lines: readonly { organizationId: string; productId: string }[]): Map<string, string> {
    const byOrg = new Map<string, Set<string>>();
    for (const l of lines) {
      const items = byOrg.get(l.organizationId) ?? new Set<string>();
      items.add(l.productId);
      byOrg.set(l.organizationId, items);
    }
    const names = new Map<string, string>();
    for (const [org, items] of byOrg)
      for (const part of chunks([...items]))
        for (const row of this.conn.all(
          this.conn.qb
            .selectFrom('md_products')
            .select(['item_number', 'name'])
            .where('organization_id', '=', org)
            .where('item_number', 'in', part),
        ))
          if (row.name) names.set(`${org}\u0000${row.item_number}`, row.name);
    return names;
  }

  barcode(organizationId: string, barcode: string) {
    return this.conn.first(
      this.conn.qb
        .selectFrom('md_barcodes')
        .select(['item_number', 'dimensions'])
        .where('organization_id', '=', organizationId)
        .where('barcode', '=', barcode),
    );
  }

  hasSite(organizationId: string, siteId: string): boolean {
    return (
      this.conn.first(
        this.conn.qb
          .selectFrom('md_sites')
          .select('site_id')
          .where('organization_id', '=', organizationId)
          .where('site_id', '=', siteId),
      ) !== undefined
    );
  }

  warehouse(organizationId: string, warehouseId: string) {
    return this.conn.first(
      this.conn.qb
        .selectFrom('md_warehouses')
        .select(['warehouse_id', 'site_id'])
        .where('organization_id', '=', organizationId)
        .where('warehouse_id', '=', warehouseId),
    );
  }

  hasJournalName(organizationId: string, journalNameId: string): boolean {
    return (
      this.conn.first(
        this.conn.qb
          .selectFrom('md_journal_names')
          .select('journal_name_id')
          .where('organization_id', '=', organizationId)
          .where('journal_name_id', '=', journalNameId),
      ) !== undefined
    );
  }

  entryCheck(lineRecordId: string): EntryCheck | null {
    const row = this.conn.first(
      this.conn.qb.selectFrom('line_entry_checks').selectAll().where('line_record_id', '=', lineRecordId),
    );
    if (!row) return null;
    return {
      lineRecordId: row.line_record_id,
      checkedAt: row.checked_at,
      masterDataAsOf: row.master_data_as_of,
      itemName: row.item_name,
      warnings: JSON.parse(row.warnings) as EntryWarning[],
      scannedCode: row.scanned_code,
    };
  }
}
