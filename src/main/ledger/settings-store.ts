import { type Mapping, mappingKey } from '../../shared/mappings';
import { type Settings, settingsSchema } from '../../shared/settings';
import type { TargetTransactionStatus } from '../../shared/status';
import type { LedgerConnection } from './connection';

const SETTINGS_KEY = 'settings';

/** Settings live in the ledger (one JSON document), so they travel with it and change in its transactions. */
export class SettingsStore {
  /** Every write goes through this store and this one connection, so the copy stays true. */
  private cached: Settings | null = null;

  constructor(private readonly conn: LedgerConnection) {}

  read(): Settings {
    if (this.cached) return structuredClone(this.cached);
    const row = this.conn.first(
      this.conn.qb.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY),
    );
    // Parsing fills defaults for keys added by later versions.
    const settings = settingsSchema.parse(row ? JSON.parse(row.value) : {});
    // Inside a transaction the value may still roll back: only a committed one is kept.
    if (!this.conn.db.inTransaction) this.cached = structuredClone(settings);
    return settings;
  }

  write(settings: Settings): void {
    this.cached = null;
    const value = JSON.stringify(settingsSchema.parse(settings));
    this.conn.run(
      this.conn.qb
        .insertInto('settings')
        .values({ key: SETTINGS_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
    );
  }

  /** A small key/value corner for the business layer's own bookkeeping (e.g. the API key label). */
  readValue(key: string): string | undefined {
    return this.conn.first(this.conn.qb.selectFrom('settings').select('value').where('key', '=', key))?.value;
  }

  writeValue(key: string, value: string): void {
    this.conn.run(
      this.conn.qb
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
    );
  }
}

export class MappingStore {
  constructor(private readonly conn: LedgerConnection) {}

  list(): Mapping[] {
    return this.conn.all(this.conn.qb.selectFrom('mappings').selectAll().orderBy('seq')).map((r) => ({
      physicalMeasure: r.physical_measure,
      targetTransactionType: 'InventoryAdjustmentJournal' as const,
      targetTransactionStatus: r.target_transaction_status,
    }));
  }

  /** measure key (lower case) → target status; a measure with no row behaves as None. */
  targets(): Map<string, TargetTransactionStatus> {
    return new Map(this.list().map((m) => [mappingKey(m.physicalMeasure), m.targetTransactionStatus]));
  }

  find(physicalMeasure: string): Mapping | undefined {
    return this.list().find((m) => mappingKey(m.physicalMeasure) === mappingKey(physicalMeasure));
  }

  /** Replaces the row for `original` (or adds one); fails if the new measure already has another row. */
  upsert(mapping: Mapping, original?: string): 'ok' | 'duplicate' | 'not_found' {
    const key = mappingKey(mapping.physicalMeasure);
    const originalKey = original === undefined ? undefined : mappingKey(original);
    return this.conn.writeNow(() => {
      const clash = this.conn.first(
        this.conn.qb.selectFrom('mappings').select('seq').where('measure_key', '=', key),
      );
      if (originalKey === undefined) {
        if (clash) return 'duplicate';
        this.conn.run(
          this.conn.qb.insertInto('mappings').values({
            measure_key: key,
            physical_measure: mapping.physicalMeasure,
            target_transaction_type: mapping.targetTransactionType,
            target_transaction_status: mapping.targetTransactionStatus,
          }),
        );
        return 'ok';
      }
      const existing = this.conn.first(
        this.conn.qb.selectFrom('mappings').select('seq').where('measure_key', '=', originalKey),
      );
      if (!existing) return 'not_found';
      if (clash && clash.seq !== existing.seq) return 'duplicate';
      this.conn.run(
        this.conn.qb
          .updateTable('mappings')
          .set({
            measure_key: key,
            physical_measure: mapping.physicalMeasure,
            target_transaction_type: mapping.targetTransactionType,
            target_transaction_status: mapping.targetTransactionStatus,
          })
          .where('seq', '=', existing.seq),
      );
      return 'ok';
    });
  }

  delete(physicalMeasure: string): boolean {
    return (
      this.conn.run(
        this.conn.qb.deleteFrom('mappings').where('measure_key', '=', mappingKey(physicalMeasure)),
      ).changes > 0
    );
  }

  replaceAll(mappings: readonly Mapping[]): void {
    this.conn.writeNow(() => {
      this.conn.run(this.conn.qb.deleteFrom('mappings'));
      for (const m of mappings) this.upsert(m);
    });
  }
}
