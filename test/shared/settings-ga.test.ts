// Bad input gets words and changes nothing: the GA settings and the import profile.
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_PROFILE, importProfileSchema } from '../../src/shared/import-profile';
import { aggregatedQuerySchema } from '../../src/shared/queries';
import { DEFAULT_SETTINGS, settingsPatchSchema, transactionSettingsSchema } from '../../src/shared/settings';
import { GA_STATUS_ALIASES } from '../../src/shared/status';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('GA settings', () => {
  it('defaults as the GA article and the domain say', () => {
    expect(DEFAULT_SETTINGS.transactions).toMatchObject({
      fnoSyncMaxJournalCountInPackage: 1,
      fnoSyncWindow: null,
      postingOverdueHours: 24,
      ivDimensionDataSource: null,
      scmImportProfile: DEFAULT_IMPORT_PROFILE,
    });
  });

  it('refuses journals per package below 1 and a window that ends before it starts', () => {
    expect(
      issues(settingsPatchSchema.safeParse({ transactions: { fnoSyncMaxJournalCountInPackage: 0 } })),
    ).toEqual(['transactions.fnoSyncMaxJournalCountInPackage: must be at least 1']);
    expect(
      issues(
        transactionSettingsSchema.partial().safeParse({ fnoSyncWindow: { start: '22:00', end: '06:00' } }),
      ),
    ).toEqual(['fnoSyncWindow.end: must end after it starts, on the same day']);
    expect(
      issues(
        transactionSettingsSchema.partial().safeParse({ fnoSyncWindow: { start: '25:00', end: '26:00' } }),
      ),
    ).toHaveLength(2);
    expect(
      transactionSettingsSchema.partial().parse({ fnoSyncWindow: { start: '20:00', end: '23:30' } }),
    ).toMatchObject({
      fnoSyncWindow: { start: '20:00', end: '23:30' },
    });
  });

  it('refuses fno as the IV dimension data source', () => {
    expect(issues(transactionSettingsSchema.partial().safeParse({ ivDimensionDataSource: 'FNO' }))).toEqual([
      'ivDimensionDataSource: must not be fno (IV refuses writes to it)',
    ]);
  });

  it('takes the GA status names as aliases in aggregated filters', () => {
    for (const [ga, seed] of Object.entries(GA_STATUS_ALIASES)) {
      expect(aggregatedQuerySchema.parse({ status: ga }).status).toEqual([seed]);
    }
    expect(aggregatedQuerySchema.parse({ status: 'fnotransposted,DoNotSync' }).status).toEqual([
      'FnOPosted',
      'DoNotSync',
    ]);
    expect(issues(aggregatedQuerySchema.safeParse({ status: 'Shipped' }))[0]).toContain('FnOTransPosted');
  });
});

describe('import profile', () => {
  const lines = DEFAULT_IMPORT_PROFILE.lines;

  it('refuses a profile that names no lines entity', () => {
    const { lines: _l, ...rest } = DEFAULT_IMPORT_PROFILE;
    expect(issues(importProfileSchema.safeParse(rest))).toEqual([
      'lines: names no lines entity: the profile must say which entity takes the journal lines',
    ]);
  });

  it('refuses a column mapped twice, and a field mapped twice', () => {
    const twice = {
      ...lines,
      columns: [...lines.columns, { field: 'UnitCost', column: 'itemnumber', entityField: 'X' }],
    };
    expect(issues(importProfileSchema.safeParse({ ...DEFAULT_IMPORT_PROFILE, lines: twice }))).toEqual([
      'lines.columns.20.field: UnitCost is mapped twice',
      'lines.columns.20.column: column itemnumber is mapped twice',
    ]);
  });

  it('refuses an expected status on the lines entity (it is a header field)', () => {
    const withStatus = {
      ...lines,
      columns: [
        ...lines.columns,
        { field: 'InventoryServiceJournalExpectedStatus', column: 'S', entityField: 'S' },
      ],
    };
    expect(
      issues(importProfileSchema.safeParse({ ...DEFAULT_IMPORT_PROFILE, lines: withStatus }))[0],
    ).toMatch(/^lines\.columns\.20\.field: must be one of JournalNumber,/);
  });

  it('requires the fields that link a package together', () => {
    const noLink = { ...lines, columns: lines.columns.filter((c) => c.field !== 'JournalNumber') };
    expect(issues(importProfileSchema.safeParse({ ...DEFAULT_IMPORT_PROFILE, lines: noLink }))).toEqual([
      'lines.columns: must map JournalNumber (it links each line to its journal header)',
    ]);
    expect(issues(importProfileSchema.safeParse({ ...DEFAULT_IMPORT_PROFILE, kind: 'file' }))).toEqual([
      'headers: must be null for a single-file profile (one file carries one entity)',
    ]);
  });
});
