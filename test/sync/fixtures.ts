import { expect } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import type { Ledger } from '../../src/main/ledger';
import type { SyncTiming } from '../../src/main/sync/timing';
import { IvClient, type UpstreamConnection } from '../../src/main/upstream';
import type { Mapping } from '../../src/shared/mappings';
import type { AggregatedStatus } from '../../src/shared/status';
import type { AggregatedLine, DetailedLine } from '../../src/shared/views';
import { seedLine } from '../helpers/layer';

export { settled } from '../helpers/settled';

import { demoCatalog, type Emulator } from '../upstream-emulator';

/** A line to post and the status its aggregated line must end in. */
export interface PlannedLine {
  line: Record<string, unknown>;
  expected: AggregatedStatus;
}

export const MAPPINGS: Mapping[] = [
  {
    physicalMeasure: 'adjustment',
    targetTransactionType: 'InventoryAdjustmentJournal',
    targetTransactionStatus: 'Posted',
  },
  {
    physicalMeasure: 'counted',
    targetTransactionType: 'InventoryAdjustmentJournal',
    targetTransactionStatus: 'Created',
  },
];

export const FAST_TIMING: Partial<SyncTiming> = {
  minuteMs: 400,
  startDelayMs: 50,
  minBackoffMs: 50,
  maxBackoffMs: 400,
  followUpMs: 100,
  inRunFollowMs: 1500,
  pollMs: 50,
  holdbackMs: 60_000,
  // "Posting overdue after" 1 hour (configure) = 1.5 s: far beyond the emulator's posting job recurrence.
  hourMs: 1500,
  unknownStateGiveUpMs: 300,
};

function line(
  id: string,
  productId: string,
  site: string,
  location: string,
  quantity: number,
  extra: Record<string, unknown> = {},
  dims: Record<string, string> = {},
): Record<string, unknown> {
  return seedLine({
    id,
    productId,
    quantity,
    dimensions: { siteId: site, locationId: location, ...dims },
    ...extra,
  });
}

/**
 * ~300 lines covering every path: several products, dimension sets and external
 * dimensions (posted), a net-zero group, an unmapped measure, a Created-only mapping, an
 * unknown item, an issue bigger than on-hand, and a second company.
 */
export function dataset(prefix: string): PlannedLine[] {
  const out: PlannedLine[] = [];
  const products = ['D0001', 'D0005', 'D0006'];
  const cells: [string, string][] = [
    ['1', '13'],
    ['2', '21'],
    ['2', '22'],
  ];
  const variants: Record<string, string>[] = [
    {},
    { colorId: 'red' },
    { colorId: 'blue', sizeId: 'M' },
    { channel: 'web' },
    { channel: 'store', colorId: 'red' },
  ];
  for (let i = 0; i < 240; i++) {
    const [site, location] = cells[Math.floor(i / 3) % 3]!;
    out.push({
      line: line(
        `${prefix}-A-${i}`,
        products[i % 3]!,
        site,
        location,
        1 + (i % 9) + (i % 4 === 0 ? 0.5 : 0),
        {
          quantityDataSource: i % 7 === 0 ? 'pos' : '@iv',
          costPrice: i % 11 === 0 ? 12.5 : null,
          transDate: i % 13 === 0 ? '2024-05-01' : undefined,
          externalReferenceCategory: 'POS transaction',
          externalReferenceId: `R${i}`,
        },
        variants[i % 5],
      ),
      expected: 'FnOPosted',
    });
  }
  // Issues that the on-hand of D0001 at 1/13 (100) covers: they post.
  for (let i = 0; i < 4; i++)
    out.push({ line: line(`${prefix}-A2-${i}`, 'D0001', '1', '13', -2), expected: 'FnOPosted' });
  // Net zero: the external dimension differs, the key does not.
  out.push({
    line: line(`${prefix}-B-0`, 'D0004', '1', '11', 7, {}, { channel: 'web' }),
    expected: 'DoNotSync',
  });
  out.push({ line: line(`${prefix}-B-1`, 'D0004', '1', '11', -7), expected: 'DoNotSync' });
  // A measure without a mapping row.
  for (let i = 0; i < 30; i++)
    out.push({
      line: line(`${prefix}-C-${i}`, 'D0001', '1', '13', -1, {
        quantityDataSource: 'pos',
        physicalMeasure: 'sold',
      }),
      expected: 'DoNotSync',
    });
  // Mapped Created: journal created, never posted.
  for (let i = 0; i < 20; i++)
    out.push({
      line: line(`${prefix}-D-${i}`, 'D0002', '1', '12', 2, { physicalMeasure: 'counted' }),
      expected: 'FnOCreated',
    });
  // An item SCM does not know: its row fails, the rest of the file imports.
  for (let i = 0; i < 3; i++)
    out.push({ line: line(`${prefix}-E-${i}`, 'X9999', '1', '13', 1), expected: 'FnOCreateError' });
  // An issue bigger than the on-hand (50): its own journal (IVAdj2) fails to post.
  for (let i = 0; i < 2; i++)
    out.push({
      line: line(`${prefix}-F-${i}`, 'D0002', '1', '11', -40, { fnoJournalNameId: 'IVAdj2' }),
      expected: 'FnOPostError',
    });
  // A second company.
  for (let i = 0; i < 10; i++)
    out.push({
      line: { ...line(`${prefix}-G-${i}`, 'D0001', '1', '11', 2), organizationId: 'usrt' },
      expected: 'FnOPosted',
    });
  return out;
}

export function configure(
  layer: BusinessLayer,
  emulator: Emulator,
  transactions: Record<string, unknown> = {},
): void {
  const c = emulator.credentials;
  layer.settings.applyProvisioning({
    environmentId: c.environmentId,
    connection: {
      authorityHost: c.authorityHost,
      tenantId: c.tenantId,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      ivEndpoint: c.ivEndpoint,
      ivSecurityServiceUrl: c.ivSecurityServiceUrl,
      fnoEnvironmentUrl: c.fnoEnvironmentUrl,
    },
    transactions: {
      fnoAdjustmentIntegrationActivityId: c.activityId,
      postingOverdueHours: 1,
      ...transactions,
    },
    mappings: MAPPINGS,
  });
}

export function connectionOf(emulator: Emulator): UpstreamConnection {
  return { ...emulator.credentials, timeoutMs: 5000 };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface EndState {
  lines: DetailedLine[];
  aggregated: Map<string, AggregatedLine>;
}

export function readEndState(ledger: Ledger): EndState {
  const lines = [...ledger.lines.iterate({})];
  const aggregated = new Map<string, AggregatedLine>();
  for (const a of ledger.aggregated.iterate({})) aggregated.set(a.aggregatedLineId, a);
  return { lines, aggregated };
}

/** Every planned line in its expected status, with what SCM wrote back. */
export function expectEndState(state: EndState, planned: PlannedLine[], emulator: Emulator): void {
  const byId = new Map(state.lines.map((l) => [l.id, l]));
  expect(state.lines.length).toBe(planned.length);
  const wrong: string[] = [];
  for (const p of planned) {
    const line = byId.get(p.line.id as string);
    const agg = line?.aggregatedLineId ? state.aggregated.get(line.aggregatedLineId) : undefined;
    if (line?.status !== 'Aggregated' || agg?.status !== p.expected)
      wrong.push(
        `${p.line.id}: ${line?.status}/${agg?.status} (expected Aggregated/${p.expected}) ${agg?.lastError ?? ''}`,
      );
  }
  expect(wrong).toEqual([]);

  const journals = emulator.admin.journals();
  const scmLines = new Map(
    journals.flatMap((j) => j.lines.map((l) => [l.InventoryServiceTransactionId.toLowerCase(), l] as const)),
  );
  for (const agg of state.aggregated.values()) {
    const inScm = scmLines.get(agg.aggregatedLineId.toLowerCase());
    if (agg.status === 'FnOPosted' || agg.status === 'FnOCreated' || agg.status === 'FnOPostError') {
      expect(agg.journalNumber, agg.aggregatedLineId).toMatch(/^IVJ-\d{6}$/);
      expect(inScm?.JournalNumber).toBe(agg.journalNumber);
      expect(inScm?.LineNumber).toBe(agg.journalLineNumber);
      expect(inScm?.InventoryQuantity).toBeCloseTo(agg.quantity, 9);
      expect(inScm?.InventoryServiceAdjustmentOffsetDatasource).toBe(agg.quantityDataSource);
      expect(inScm?.InventoryServiceAdjustmentOffsetPhysicalMeasure).toBe(agg.physicalMeasure);
    } else {
      expect(inScm, `${agg.aggregatedLineId} (${agg.status}) must not be in SCM`).toBeUndefined();
    }
    if (agg.status === 'FnOCreateError') {
      expect(agg.productId).toBe('X9999');
      // SCM's own row message (GetExecutionErrors), and where to look it up.
      expect(agg.lastError).toContain("The value 'X9999' in field 'Item number' is not found");
      expect(agg.lastError).toMatch(
        /Look up message [0-9a-f-]{36} in System administration › Data management IT › Recurring data jobs/,
      );
    }
    // Overdue, or passed over by a run of SCM's posting job that posted a later journal.
    if (agg.status === 'FnOPostError')
      expect(agg.lastError).toMatch(
        new RegExp(
          `SCM's posting job has (not posted journal ${agg.journalNumber}|run since journal ${agg.journalNumber} )`,
        ),
      );
    if (agg.status === 'DoNotSync') {
      expect(agg.statusReason).toMatch(
        agg.physicalMeasure === 'sold' ? /'sold'.*add a mapping row/s : /Net quantity is 0/,
      );
    }
  }
  // Every journal line came from one of our aggregated lines, once.
  const sent = journals.flatMap((j) => j.lines.map((l) => l.InventoryServiceTransactionId.toLowerCase()));
  expect(new Set(sent).size).toBe(sent.length);
  for (const id of sent) expect(state.aggregated.has(id)).toBe(true);
}

type Cell = string;
const cellOf = (org: string, product: string, site: string, location: string): Cell =>
  JSON.stringify([org, product, site, location]);

/**
 * What IV must show per (company, item, site, warehouse): each line's measure, less what
 * SCM posted and took back out through the offset; fno.physicalinvent = starting on-hand +
 * what was posted. Checked against the emulator's exactquery, over real HTTP.
 */
export async function expectIvQuantities(state: EndState, emulator: Emulator): Promise<number> {
  const expected = new Map<Cell, Record<string, Record<string, number>>>();
  const bump = (cell: Cell, ds: string, measure: string, q: number) => {
    const row = expected.get(cell) ?? {};
    row[ds] ??= {};
    row[ds][measure] = (row[ds][measure] ?? 0) + q;
    expected.set(cell, row);
  };
  for (const l of state.lines)
    bump(
      cellOf(l.organizationId, l.productId, l.dimensions.siteId!, l.dimensions.locationId!),
      l.quantityDataSource,
      l.physicalMeasure,
      l.quantity,
    );
  const postedCells = new Set<Cell>();
  for (const a of state.aggregated.values()) {
    if (a.status !== 'FnOPosted') continue;
    const cell = cellOf(a.organizationId, a.productId, a.dimensions.siteId!, a.dimensions.locationId!);
    bump(cell, a.quantityDataSource, a.physicalMeasure, -a.quantity);
    bump(cell, 'fno', 'physicalinvent', a.quantity);
    postedCells.add(cell);
  }
  for (const o of demoCatalog.onHand) {
    const cell = cellOf(o.organizationId, o.itemNumber, o.dimensions.siteId!, o.dimensions.locationId!);
    if (expected.has(cell)) bump(cell, 'fno', 'physicalinvent', o.quantity);
  }
  const iv = new IvClient(connectionOf(emulator));
  let checked = 0;
  for (const [cell, quantities] of expected) {
    const [org, product, site, location] = JSON.parse(cell) as string[];
    const rows = await iv.exactQuery({
      filters: {
        organizationId: [org!],
        productId: [product!],
        dimensions: ['siteId', 'locationId'],
        values: [[site!, location!]],
      },
    });
    expect(rows.length, cell).toBe(1);
    for (const [ds, measures] of Object.entries(quantities)) {
      for (const [measure, q] of Object.entries(measures)) {
        expect(rows[0]!.quantities[ds]?.[measure] ?? 0, `${cell} ${ds}.${measure}`).toBeCloseTo(q, 6);
        checked++;
      }
    }
    if (postedCells.has(cell)) {
      // The posted lines' external measure is back at 0 where nothing else of it is pending.
      for (const [ds, measures] of Object.entries(rows[0]!.quantities)) {
        if (ds !== 'fno') expect(measures.adjustment ?? 0, `${cell} ${ds}.adjustment`).toBeCloseTo(0, 6);
      }
    }
  }
  return checked;
}

/** Emulator counters: each line accepted by IV once, each aggregated line imported by SCM once. */
export function expectNothingTwice(state: EndState, emulator: Emulator): void {
  const counters = emulator.admin.counters();
  expect(counters.ivEventsAccepted).toBe(state.lines.length);
  const events = emulator.admin.events().map((e) => e.id);
  expect(new Set(events).size).toBe(events.length);
  const inScm = [...state.aggregated.values()].filter((a) =>
    ['FnOCreated', 'FnOPosted', 'FnOPostError'].includes(a.status),
  ).length;
  expect(counters.scmRowsImported).toBe(inScm);
}

export async function postLines(
  api: string,
  apiKey: string,
  planned: PlannedLine[],
  chunk: number,
): Promise<void> {
  for (let i = 0; i < planned.length; i += chunk) {
    const res = await fetch(`${api}/adjustment/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(planned.slice(i, i + chunk).map((p) => p.line)),
    });
    if (res.status !== 200) throw new Error(`bulk POST answered ${res.status}: ${await res.text()}`);
  }
}
