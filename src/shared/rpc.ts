import { z } from 'zod';
import { adjustmentLineSchema } from './adjustment';
import { type Mapping, mappingSchema } from './mappings';
import { type Preferences, preferencesPatchSchema } from './preferences';
import { aggregatedQuerySchema, linesQuerySchema } from './queries';
import { type SettingsView, settingsPatchSchema } from './settings';
import type { InitializeResult, SyncRunSummary, SyncStatus } from './sync-status';
import type { AggregatedLine, AggregatedLineDetail, Attempt, DetailedLine, Page, WriteResult } from './views';

/**
 * The whole UI ↔ business-layer contract: name → input schema, and (below) name → output.
 * Main validates every input with these schemas, whichever transport carried it.
 */
const empty = z.strictObject({});
const lineRef = z.strictObject({ lineRecordId: z.string().min(1).max(64) });
const aggregatedRef = z.strictObject({ aggregatedLineId: z.string().min(1).max(64) });
const reason = z
  .string({ error: 'must be a string' })
  .trim()
  .min(3, { error: 'must say why, in at least 3 characters' })
  .max(500, { error: 'must be at most 500 characters' });

export const rpcInputs = {
  'app.info': empty,
  'lines.create': z.strictObject({ line: adjustmentLineSchema, instantIvSync: z.boolean().default(false) }),
  'lines.list': linesQuerySchema,
  'lines.get': lineRef,
  'lines.attempts': lineRef,
  'lines.void': z.strictObject({ lineRecordId: z.string().min(1).max(64), reason }),
  'lines.correct': lineRef,
  'aggregated.list': aggregatedQuerySchema,
  'aggregated.get': aggregatedRef,
  'aggregated.attempts': aggregatedRef,
  'aggregated.retry': z.strictObject({
    aggregatedLineIds: z.array(z.string().min(1).max(64)).min(1).max(10000),
  }),
  'aggregated.markDoNotSync': z.strictObject({
    aggregatedLineIds: z.array(z.string().min(1).max(64)).min(1).max(10000),
    reason,
  }),
  'suggestions.get': empty,
  'settings.get': empty,
  'settings.update': settingsPatchSchema,
  'mappings.list': empty,
  'mappings.upsert': z.strictObject({
    /** The measure being edited (absent when adding a row). */
    originalPhysicalMeasure: z.string().max(64).optional(),
    mapping: mappingSchema,
  }),
  'mappings.delete': z.strictObject({ physicalMeasure: z.string().min(1).max(64) }),
  'apiKey.get': empty,
  'apiKey.regenerate': empty,
  'sync.status': empty,
  'sync.run': z.strictObject({ job: z.enum(['iv', 'fno', 'all'], { error: 'must be iv, fno or all' }) }),
  'sync.runs': z.strictObject({ top: z.number().int().min(1).max(200).default(20) }),
  'sync.initialize': empty,
  'export.xlsx': z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lines'), query: linesQuerySchema }),
    z.strictObject({ kind: z.literal('aggregated'), query: aggregatedQuerySchema }),
  ]),
  'preferences.get': empty,
  'preferences.update': preferencesPatchSchema,
} as const;

export type RpcName = keyof typeof rpcInputs;
export type RpcInput<N extends RpcName> = z.input<(typeof rpcInputs)[N]>;
export type RpcParsedInput<N extends RpcName> = z.output<(typeof rpcInputs)[N]>;

export interface AppInfo {
  version: string;
  dataDir: string;
  ledgerPath: string;
  apiBaseUrl: string | null;
  platform: 'electron' | 'headless';
  osUser: string;
}

export interface Suggestions {
  organizations: string[];
  dataSources: string[];
  physicalMeasures: string[];
  journalNames: string[];
  externalReferenceCategories: string[];
  /** Values of the previous form entry, to keep where that helps. */
  last: { organizationId: string | null; siteId: string | null; locationId: string | null } | null;
}

export interface SyncRunResult {
  runs: SyncRunSummary[];
  status: SyncStatus;
}

export interface BulkActionResult {
  changed: number;
  /** IDs that could not change, with why (e.g. already posted). */
  refused: { aggregatedLineId: string; message: string }[];
}

export interface RpcOutputs {
  'app.info': AppInfo;
  'lines.create': WriteResult & { created: boolean };
  'lines.list': Page<DetailedLine>;
  'lines.get': DetailedLine;
  'lines.attempts': Attempt[];
  'lines.void': DetailedLine;
  /** The reversing line; `created` false when it was already there (a second click). */
  'lines.correct': { correction: DetailedLine; created: boolean };
  'aggregated.list': Page<AggregatedLine>;
  'aggregated.get': AggregatedLineDetail;
  'aggregated.attempts': Attempt[];
  'aggregated.retry': BulkActionResult;
  'aggregated.markDoNotSync': BulkActionResult;
  'suggestions.get': Suggestions;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'mappings.list': Mapping[];
  'mappings.upsert': Mapping[];
  'mappings.delete': Mapping[];
  'apiKey.get': { apiKey: string; source: 'generated' | 'environment' };
  'apiKey.regenerate': { apiKey: string; source: 'generated' | 'environment' };
  'sync.status': SyncStatus;
  'sync.run': SyncRunResult;
  'sync.runs': SyncRunSummary[];
  'sync.initialize': InitializeResult;
  /** The workbook, base64 (JSON and IPC carry it alike). */
  'export.xlsx': { fileName: string; base64: string };
  'preferences.get': Preferences;
  'preferences.update': Preferences;
}

/** Events main pushes to the renderer. */
export interface RpcEvents {
  'sync.status': SyncStatus;
  /** Something in the ledger changed: grids refresh. */
  'ledger.changed': { at: string };
}
export type RpcEventName = keyof RpcEvents;

/** Errors cross process boundaries as plain data. */
export interface RpcErrorBody {
  code: 'invalid_input' | 'not_found' | 'conflict' | 'feature_disabled' | 'not_configured' | 'internal';
  message: string;
  errors?: { field: string; message: string; index?: number; id?: string }[];
}

export const RPC_NAMES = Object.keys(rpcInputs) as RpcName[];
