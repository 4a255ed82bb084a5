import { z } from 'zod';
import { adjustmentLineSchema } from './adjustment';
import { approvalInputs, type HeldLineView } from './approvals';
import { type AuditEventView, type AuditVerifyReport, auditQuerySchema } from './audit';
import { type CountApplyResult, type CountView, countInputs } from './counts';
import {
  type DraftAddResult,
  type DraftDetail,
  type DraftPostResult,
  type DraftRowResult,
  type DraftSummary,
  draftInputs,
} from './drafts';
import { FILE_LIMITS, type FileLimit, type FileOffer, fileBytes } from './file-upload';
import type { IntegrityReport, LedgerHealth } from './ledger-health';
import { type Mapping, mappingSchema } from './mappings';
import {
  type EntryCheck,
  type EntryWarning,
  type LookupResult,
  lookupInputSchema,
  type MasterDataStatus,
  placeInputSchema,
  refreshInputSchema,
} from './master-data';
import { type OnHandAnswer, onHandQuerySchema } from './onhand';
import {
  type ApiKeyCreated,
  type ApiKeyView,
  type PersonView,
  peopleInputs,
  type SessionView,
} from './people';
import { type Preferences, preferencesPatchSchema } from './preferences';
import { aggregatedQuerySchema, linesQuerySchema } from './queries';
import { type ReasonCode, reasonInputs } from './reasons';
import { type SettingsView, settingsPatchSchema } from './settings';
import type { InitializeResult, SyncRunSummary, SyncStatus } from './sync-status';
import { type TenantCheckResult, tenantCheckInputSchema } from './tenant-check';
import type { AggregatedLine, AggregatedLineDetail, Attempt, DetailedLine, EnteredLine, Page } from './views';

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

const newestFirst = z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc');

export const rpcInputs = {
  'app.info': empty,
  'lines.create': z.strictObject({
    line: adjustmentLineSchema,
    instantIvSync: z.boolean().default(false),
    /** Which screen: both are a person's entry, and a large quantity waits for `confirmedLargeQuantity`. */
    screen: z.enum(['create', 'scan']).default('create'),
    confirmedLargeQuantity: z.boolean().default(false),
    /** A line that needs a manager waits in the approval list instead of being refused. */
    park: z.boolean({ error: 'must be true or false' }).default(false),
  }),
  'lines.list': linesQuerySchema,
  'lines.get': lineRef,
  'lines.attempts': lineRef,
  'lines.void': z.strictObject({ lineRecordId: z.string().min(1).max(64), reason }),
  'lines.correct': z.strictObject({
    lineRecordId: z.string().min(1).max(64),
    /** Also post the line that should have been recorded: the same item, this quantity and place. */
    replacement: z
      .strictObject({
        quantity: z.number({ error: 'must be a number' }).finite(),
        dimensions: z.record(z.string().min(1).max(100), z.string().max(100)),
      })
      .nullish(),
    confirmedLargeQuantity: z.boolean().default(false),
  }),
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
  /** The SCM data project's own exported package (a zip) or its Manifest.xml: its bytes. */
  'settings.loadImportProfile': z.strictObject({
    fileName: z.string({ error: 'must be a file name' }).min(1).max(260),
    content: fileBytes(FILE_LIMITS.importProfile),
  }),
  'mappings.list': empty,
  'mappings.upsert': z.strictObject({
    /** The measure being edited (absent when adding a row). */
    originalPhysicalMeasure: z.string().max(64).optional(),
    mapping: mappingSchema,
  }),
  'mappings.delete': z.strictObject({ physicalMeasure: z.string().min(1).max(64) }),
  /** The store systems' API keys: each named, with a role; a new key is shown once. */
  'apiKeys.list': empty,
  'apiKeys.create': peopleInputs.createApiKey,
  'apiKeys.revoke': peopleInputs.revokeApiKey,
  'sync.status': empty,
  'sync.run': z.strictObject({ job: z.enum(['iv', 'fno', 'all'], { error: 'must be iv, fno or all' }) }),
  'sync.runs': z.strictObject({ top: z.number().int().min(1).max(200).default(20) }),
  'sync.initialize': empty,
  /** A sandbox's answers where Microsoft is silent, with zero-net test lines: never without the tick and a test item. */
  'sync.tenantCheck': tenantCheckInputSchema,
  /** The ledger's own state (ok, or degraded because its disk is full or failing). */
  'ledger.health': empty,
  /** The full SQLite integrity_check, run in a worker: for Settings and diagnostics. */
  'ledger.integrityCheck': empty,
  /** The grid's rows as a workbook, in the grid's order (newest first unless it says otherwise). */
  'export.xlsx': z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lines'), query: linesQuerySchema.extend({ direction: newestFirst }) }),
    z.strictObject({
      kind: z.literal('aggregated'),
      query: aggregatedQuerySchema.extend({ direction: newestFirst }),
    }),
  ]),
  /** The desktop window saves a file main offered (an export, a bundle) through a Save dialog. */
  'files.save': z.strictObject({
    downloadId: z.string({ error: 'must be a download ID' }).min(1).max(100),
  }),
  'preferences.get': empty,
  'preferences.update': preferencesPatchSchema,
  'masterData.status': empty,
  'masterData.refresh': refreshInputSchema,
  'masterData.lookup': lookupInputSchema,
  'masterData.checkPlace': placeInputSchema,
  'masterData.entryCheck': lineRef,
  'drafts.list': draftInputs.list,
  'drafts.create': draftInputs.create,
  'drafts.get': draftInputs.get,
  'drafts.paste': draftInputs.paste,
  'drafts.import': draftInputs.import,
  'drafts.editRow': draftInputs.editRow,
  'drafts.deleteRow': draftInputs.deleteRow,
  'drafts.deleteBlock': draftInputs.deleteBlock,
  'drafts.post': draftInputs.post,
  'drafts.delete': draftInputs.delete,
  /** A quick integrity check by default; `full` runs the whole one (longer on a large ledger). */
  'diagnostics.create': z.strictObject({
    full: z.boolean({ error: 'must be true or false' }).default(false),
  }),
  'onhand.get': onHandQuerySchema,
  'counts.list': countInputs.list,
  'counts.create': countInputs.create,
  'counts.get': countInputs.get,
  'counts.record': countInputs.record,
  'counts.apply': countInputs.apply,
  'counts.paste': countInputs.paste,
  'counts.removeItem': countInputs.removeItem,
  /** Who is signed in on this window, and how this ledger's people sign in. */
  'session.get': empty,
  /** A PIN (with the person chosen) or a badge's barcode: the window's person changes in one step. */
  'session.signIn': peopleInputs.signIn,
  'session.signOut': empty,
  /** The first start only: the first person (every right), or single clerk with no sign-in. */
  'people.setup': peopleInputs.setup,
  'people.list': empty,
  'people.create': peopleInputs.create,
  'people.update': peopleInputs.update,
  /** Single clerk (no sign-in) or people who sign in; people needs an active administrator first. */
  'people.setMode': peopleInputs.setMode,
  /** The audit trail, newest first, filtered by person, action, outcome and time. */
  'audit.list': auditQuerySchema,
  /** Walks the audit chain and the lines' digests (in slices): what was changed behind the app. */
  'audit.verify': empty,
  /** The last verification's answer (the one at start, or a manager's), or null while none ended. */
  'audit.status': empty,
  /** The filtered audit trail as a CSV file, offered like an export. */
  'audit.export': auditQuerySchema.omit({ top: true, skip: true }),
  /** The store's reason codes; a manager adds and changes them (never deletes: inactive instead). */
  'reasons.list': reasonInputs.list,
  'reasons.upsert': reasonInputs.upsert,
  /** Lines waiting for a manager, and recent decisions; the nav's badge counts the waiting. */
  'approvals.list': approvalInputs.list,
  'approvals.count': approvalInputs.count,
  'approvals.approve': approvalInputs.approve,
  'approvals.refuse': approvalInputs.refuse,
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

/** A line parked in the approval list: nothing is stored or sent until a manager approves it. */
export interface HeldAnswer {
  held: true;
  heldId: string;
  id: string;
  /** Why it waits, in words. */
  why: string;
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
  /** The line stored, or (parked) the line waiting for a manager. */
  'lines.create': EnteredLine | HeldAnswer;
  'lines.list': Page<DetailedLine>;
  'lines.get': DetailedLine;
  'lines.attempts': Attempt[];
  'lines.void': DetailedLine;
  /** The reversing line and the replacing line (when asked); `created` false when they were already there (a second click). */
  'lines.correct': { correction: DetailedLine; replacement: DetailedLine | null; created: boolean };
  'aggregated.list': Page<AggregatedLine>;
  'aggregated.get': AggregatedLineDetail;
  'aggregated.attempts': Attempt[];
  'aggregated.retry': BulkActionResult;
  'aggregated.markDoNotSync': BulkActionResult;
  'suggestions.get': Suggestions;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'settings.loadImportProfile': { settings: SettingsView; notes: string[] };
  'mappings.list': Mapping[];
  'mappings.upsert': Mapping[];
  'mappings.delete': Mapping[];
  'apiKeys.list': ApiKeyView[];
  'apiKeys.create': ApiKeyCreated;
  'apiKeys.revoke': ApiKeyView[];
  'sync.status': SyncStatus;
  'sync.run': SyncRunResult;
  'sync.runs': SyncRunSummary[];
  'sync.initialize': InitializeResult;
  'sync.tenantCheck': TenantCheckResult;
  'ledger.health': LedgerHealth;
  'ledger.integrityCheck': IntegrityReport;
  /** The workbook, written by main and offered once: GET /download/{id}, or files.save. */
  'export.xlsx': FileOffer;
  /** Where the file was saved; null when the person cancelled the dialog. */
  'files.save': { savedTo: string | null };
  'preferences.get': Preferences;
  'preferences.update': Preferences;
  'masterData.status': MasterDataStatus;
  'masterData.refresh': MasterDataStatus;
  'masterData.lookup': LookupResult;
  'masterData.checkPlace': EntryWarning[];
  'masterData.entryCheck': EntryCheck | null;
  'drafts.list': DraftSummary[];
  'drafts.create': DraftSummary;
  'drafts.get': DraftDetail;
  'drafts.paste': DraftAddResult;
  'drafts.import': DraftAddResult;
  'drafts.editRow': DraftRowResult;
  'drafts.deleteRow': DraftRowResult;
  'drafts.deleteBlock': DraftSummary;
  'drafts.post': DraftPostResult;
  'drafts.delete': DraftSummary[];
  /** The zip written under the data folder, and offered once for saving elsewhere too. */
  'diagnostics.create': { fileName: string; path: string; bytes: number; downloadId: string };
  'onhand.get': OnHandAnswer;
  'counts.list': Omit<CountView, 'items'>[];
  'counts.create': CountView;
  'counts.get': CountView;
  'counts.record': CountView;
  'counts.apply': CountApplyResult;
  'counts.paste': CountView;
  'counts.removeItem': CountView;
  'session.get': SessionView;
  'session.signIn': SessionView;
  'session.signOut': SessionView;
  'people.setup': SessionView;
  'people.list': PersonView[];
  'people.create': PersonView[];
  'people.update': PersonView[];
  'people.setMode': SessionView;
  'audit.list': Page<AuditEventView>;
  'audit.verify': AuditVerifyReport;
  'audit.status': { running: boolean; report: AuditVerifyReport | null };
  'audit.export': FileOffer;
  'reasons.list': ReasonCode[];
  'reasons.upsert': ReasonCode[];
  'approvals.list': HeldLineView[];
  'approvals.count': { waiting: number };
  'approvals.approve': HeldLineView;
  'approvals.refuse': HeldLineView;
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
  code:
    | 'invalid_input'
    /** More than one request may carry (lines, bytes): split it. */
    | 'too_large'
    /** Nothing was stored yet: a person must confirm something first (a large quantity). */
    | 'needs_confirmation'
    /** Nothing was stored: a manager must approve first (their PIN or badge now, or the approval list). */
    | 'needs_approval'
    | 'not_found'
    | 'conflict'
    | 'feature_disabled'
    | 'not_configured'
    /** Nobody is signed in on this window (or the session ended): sign in, then try again. */
    | 'signed_out'
    /** The one acting may not do this: the words name the role it needs. */
    | 'forbidden'
    /** Too many wrong PINs or unknown badges: the words say for how long sign-in waits. */
    | 'locked_out'
    /** The ledger's disk is full or failing: nothing was stored, try again later. */
    | 'unavailable'
    | 'internal';
  message: string;
  errors?: { field: string; message: string; index?: number; id?: string }[];
}

export const RPC_NAMES = Object.keys(rpcInputs) as RpcName[];

/** The one table of which actions take a file, and how large it may be. */
export const FILE_INPUTS = {
  'drafts.import': FILE_LIMITS.draftImport,
  'settings.loadImportProfile': FILE_LIMITS.importProfile,
} as const satisfies Partial<Record<RpcName, FileLimit>>;

export type FileRpcName = keyof typeof FILE_INPUTS;

export function fileLimitOf(name: string): FileLimit | undefined {
  return Object.hasOwn(FILE_INPUTS, name) ? FILE_INPUTS[name as FileRpcName] : undefined;
}
