// Public types of the upstream emulator. index.ts re-exports all of them.

export interface Catalog {
  organizations: string[];
  /** `name` is the released product's ProductName; `trackingDimensionGroup` its tracking dimension group. */
  items: { organizationId: string; itemNumber: string; name?: string; trackingDimensionGroup?: string }[];
  warehouses: { organizationId: string; siteId: string; locationId: string; name?: string }[];
  journalNames: {
    organizationId: string;
    journalNameId: string;
    default?: boolean;
    description?: string;
    /** The journal name deletes a journal's lines once it is posted (headers: AreLinesDeletedAfterPosting). */
    deleteLinesAfterPosting?: boolean;
  }[];
  /** ProductBarcodesV3 rows: a barcode names an item and its product dimensions. */
  barcodes?: {
    organizationId: string;
    barcode: string;
    itemNumber: string;
    dimensions?: Record<string, string>;
  }[];
  /** Starting physical on-hand; it appears in IV as fno.physicalinvent. */
  onHand: {
    organizationId: string;
    itemNumber: string;
    dimensions: Record<string, string>;
    quantity: number;
  }[];
}

/** One entity of the data project: its file and its column → staging-field map. */
export interface DataProjectEntity {
  entityName: string;
  fileName: string;
  /** field: the OData field; column: the column in the file (manifest XMLField); entityField: the staging field. */
  columns: { field: string; column: string; entityField: string }[];
}

/** SCM's data project behind the recurring data job (docs/dynamics-contract.md §1). */
export interface DataProject {
  projectName: string;
  /** package: a zip with Manifest.xml, PackageHeader.xml and one file per entity; file: one CSV, `entity=` on enqueue. */
  kind: 'package' | 'file';
  /** CSV: UTF-8, BOM optional; CSV-Unicode: UTF-16LE with BOM. */
  format: 'CSV' | 'CSV-Unicode';
  /** null in a file project: SCM then gives each journal defaultExpectedStatus. */
  headers: DataProjectEntity | null;
  lines: DataProjectEntity;
  defaultExpectedStatus: ExpectedStatus;
}

/** A data source/measure pair configured on SCM's offset tab. */
export interface OffsetPair {
  dataSource: string;
  measure: string;
}

/**
 * The time SCM's side of the emulator runs on: its import delay, its posting job's recurrence,
 * the offsets, and the times it writes. The computer's by default; a test passes the clock it
 * moves (the app's Clock has this shape), so "the posting job passed" is a step, not a wait.
 * Entra's tokens and the `latencyMs` setting stay on real time: they stand for the network.
 */
export interface EmulatorClock {
  now(): number;
  /** Calls fn once, ms from now; the timer never keeps the process alive. */
  setTimer(fn: () => unknown, ms: number): { cancel(): void };
}

export interface EmulatorOptions {
  port?: number;
  /** Default: the computer's clock. */
  clock?: EmulatorClock;
  catalog?: Catalog;
  importDelayMs?: number;
  /** The posting job's recurrence interval (ms). */
  postingDelayMs?: number;
  /** Default true; false: journals post only on runPostingJob(). */
  postingJobEnabled?: boolean;
  tokenLifetimeSeconds?: number;
  ivTokenRedirect?: boolean;
  seed?: number;
  /** Default DEFAULT_DATA_PROJECT. */
  dataProject?: DataProject;
  /** Default @iv/adjustment and pos/adjustment. */
  offsetPairs?: OffsetPair[];
  /** Default 10. */
  offsetLagMs?: number;
  /** Data sources IV has a dimension mapping for. Default ['pos']. */
  dimensionDataSources?: string[];
}

export interface EmulatorCredentials {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  ivEndpoint: string;
  ivSecurityServiceUrl: string;
  fnoEnvironmentUrl: string;
  environmentId: string;
  activityId: string;
}

export interface Emulator {
  url: string;
  port: number;
  credentials: EmulatorCredentials;
  /** The catalog's first organization: SCM's default company, and the store's default organization. */
  defaultCompany: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  admin: EmulatorAdmin;
}

export type FaultEndpoint =
  | 'entra'
  | 'ivToken'
  | 'ivBulk'
  | 'ivQuery'
  | 'scmEnqueue'
  | 'scmJobStatus'
  | 'scmExecutionErrors'
  | 'scmOData'
  | '*';
/** 403: the service refuses the app (SCM: not on the recurring data job's authorization policy). */
export type FaultKind = '429' | '500' | '403' | 'hang' | 'drop' | 'lost';

export interface FaultRule {
  endpoint: FaultEndpoint;
  /** Share of requests that fail, 0..1. */
  rate: number;
  /** Default ['500']. */
  kinds?: FaultKind[];
  /** Default 1. */
  retryAfterSeconds?: number;
}

/** How IV answers an on-hand bulk call; IV stores only what it really accepted, in every shape. */
export type IvAnswerShape =
  /** 200 {success: [ids], failure: [{id, statusCode, message}]} */
  | 'successFailure'
  /** 200 {success: [ids], failure: [{statusCode, message}]}: failures without their id */
  | 'failureWithoutIds'
  /** 200 [{id, statusCode, message?}], one per event */
  | 'perItem'
  /**
   * 200 with the six lists Microsoft publishes for IV's change-schedule bulk API (success,
   * failure, conflict, notFound, partialSuccess, unknown) of {id: "ohcs~<id>", processingStatus,
   * message, statusCode}; an event IV already has is answered under conflict
   * (microsoft/Inventory-Visibility-Add-in-Examples, dc5057c, changeschedulebulk.json)
   */
  | 'sixLists'
  /** 200 [{id: "ohcs~<id>", processingStatus, message, statusCode}], one per event */
  | 'perEvent'
  /** 200 {statusCode: 500, message}: the whole call refused, nothing stored */
  | 'bodyStatus'
  /** 200 with an empty body: valid events stored, invalid ones dropped */
  | 'bare';

/** ris: RIS's DataJobStatus; noState: DataJobStatus without DataJobState; unknownState: a state outside the enum. */
export type JobStatusShape = 'ris' | 'noState' | 'unknownState';

/**
 * What jobstatus answers for a message ID SCM never saw (not public): namedNotFound, a 404 naming
 * the ID (this emulator's first guess); genericNotFound, a 404 naming nothing; noState, a 200 with
 * an empty DataJobStatus; badRequest, a 400; serverError, a 500.
 */
/**
 * GetExecutionErrors' string value: records, a JSON list of {RecordId, Field, ErrorMessage} (the
 * shape seen on tenants); malformedRecords, the same written without escaping the messages' own
 * quotes and cut short, as SCM is reported to send it; messages, a JSON list of strings.
 */
export type ExecutionErrorsShape = 'records' | 'malformedRecords' | 'messages';

/**
 * A journal line whose (dataAreaId, InventoryServiceTransactionId) SCM already holds: refuse, "The
 * record already exists" (what the client assumes); upsert, the line takes the new values in place.
 * Which one a tenant does is not public: the tenant check asks.
 */
export type DuplicateTransactionId = 'refuse' | 'upsert';

export type UnknownMessageAnswer =
  | 'namedNotFound'
  | 'genericNotFound'
  | 'noState'
  | 'badRequest'
  | 'serverError';

export interface EmulatorSettings {
  importDelayMs: number;
  /** The posting job's recurrence interval (ms, at least 5 between passes). */
  postingDelayMs: number;
  postingJobEnabled: boolean;
  ivTokenRedirect: boolean;
  /** Answer DataJobState as its number (Enqueued=0 ... PreProcessError=8) instead of its name. */
  jobStateAsNumber: boolean;
  jobStatusShape: JobStatusShape;
  unknownMessageAnswer: UnknownMessageAnswer;
  executionErrorsShape: ExecutionErrorsShape;
  duplicateTransactionId: DuplicateTransactionId;
  /** false: the app may not read the data management entities (a 403, as without the role). */
  dataManagementReadable: boolean;
  /** Longest OData query string served (IIS's default is 2,048); past it a 404.15. null: no limit. */
  maxQueryStringLength: number | null;
  /** The entity set journal names are served under (no such entity is public): null, none. */
  journalNamesEntitySet: string | null;
  /** Rows per OData page (SCM: 10,000); lower it to test paging. */
  odataPageSize: number;
  /** Added before every IV and SCM answer (not admin): a cloud service's round trip, for benchmarks. */
  latencyMs: number;
  ivAnswerShape: IvAnswerShape;
  dimensionDataSources: string[];
  offsetPairs: OffsetPair[];
  offsetLagMs: number;
}

export interface Counters {
  ivBulkCalls: number;
  ivEventsReceived: number;
  ivEventsAccepted: number;
  ivEventsDuplicate: number;
  ivEventsRejected: number;
  scmEnqueueCalls: number;
  /** Messages that ended in PreProcessError: nothing of them imported. */
  scmMessagesRefused: number;
  scmExecutionErrorsCalls: number;
  /** OData GETs that reached an entity set (every page; a fault that stops the request first is not counted). */
  scmODataCalls: number;
  /** Header rows of packages that could be read. */
  scmHeaderRowsReceived: number;
  scmHeaderRowsFailed: number;
  /** Line rows: scmRowsImported + scmRowsDuplicate + scmRowsFailed, for files that could be read. */
  scmRowsReceived: number;
  scmRowsImported: number;
  scmRowsDuplicate: number;
  /** Failed line rows other than duplicates. */
  scmRowsFailed: number;
  journals: number;
  /** Passes of the posting job, recurring and run-now. */
  postingJobRuns: number;
  /** Journals posted; each once, whichever pass of the posting job posted it. */
  journalsPosted: number;
  /**
   * Journals whose posting failed at least once; each counted once, however many passes it
   * failed, and still counted if a later pass posted it (it is then in journalsPosted too).
   */
  journalsPostError: number;
  /** Every failed posting attempt, first and re-attempts: grows each pass while a cause stays. */
  postingAttemptsFailed: number;
  /** Offset adjustments applied to IV (one per posted line whose pair is configured). */
  offsetsApplied: number;
  faultsInjected: number;
}

export type Quantities = Record<string, Record<string, number>>;

export interface IvEventRecord {
  id: string;
  organizationId: string;
  productId: string;
  /** The data source whose dimension mapping let external dimension keys in; null: base dimensions only. */
  dimensionDataSource: string | null;
  dimensions: Record<string, string>;
  quantities: Quantities;
  receivedAt: string;
}

export interface OnHandRow {
  organizationId: string;
  productId: string;
  dimensions: Record<string, string>;
  quantities: Quantities;
}

export type ExpectedStatus = 'None' | 'Created' | 'Posted' | 'SkipPosting';

/** InventoryServiceAdjustmentJournalHeaders as OData shows it: no posting status or error field. */
export interface JournalHeader {
  dataAreaId: string;
  /** Numbered by SCM (IVJ-000001 ... per company), whatever reference the package used. */
  JournalNumber: string;
  JournalNameId: string;
  Description: string;
  IsPosted: 'Yes' | 'No';
  /** 1900-01-01T00:00:00Z (SCM's empty date) until posted. */
  PostedDateTime: string;
  PostedUserId: string;
  DefaultInventorySiteId: string;
  DefaultWarehouseId: string;
  InventoryServiceJournalExpectedStatus: ExpectedStatus;
  /** From the journal name: its lines are deleted once it is posted. */
  AreLinesDeletedAfterPosting: 'Yes' | 'No';
}

/** InventoryServiceAdjustmentJournalEntries as stored: no expected status field. */
export interface JournalLine {
  dataAreaId: string;
  JournalNumber: string;
  LineNumber: number;
  InventoryServiceTransactionId: string;
  JournalNameId: string;
  ItemNumber: string;
  InventorySiteId: string;
  InventoryWarehouseId: string;
  ProductColorId: string;
  ProductSizeId: string;
  ProductStyleId: string;
  ProductConfigurationId: string;
  ProductVersionId: string;
  ItemBatchNumber: string;
  ItemSerialNumber: string;
  WarehouseLocationId: string;
  LicensePlateNumber: string;
  InventoryStatusId: string;
  /** YYYY-MM-DD */
  TransactionDate: string;
  InventoryQuantity: number;
  /** null when the file left it blank */
  UnitCost: number | null;
  UnitCostQuantity: number | null;
  CostAmount: number | null;
  InventoryServiceAdjustmentOffsetDatasource: string;
  InventoryServiceAdjustmentOffsetPhysicalMeasure: string;
}

/** A journal as the admin read-out shows it: header, lines, and what only SCM's own UI would show. */
export interface JournalRecord extends JournalHeader {
  messageId: string;
  externalIdentifier: string | null;
  /** The JournalNumber the package's header row carried (its package-local reference); null for a file. */
  packageReference: string | null;
  createdAt: string;
  postedAt: string | null;
  /** The last failed posting attempt's text (kept after a later pass posts it); only here, as in SCM. */
  postingError: string | null;
  postingAttemptsFailed: number;
  lines: JournalLine[];
}

export type DataJobState =
  | 'Enqueued'
  | 'Dequeued'
  | 'Downloaded'
  | 'Acked'
  | 'InProcess'
  | 'Processed'
  | 'ProcessedWithErrors'
  | 'PostProcessError'
  | 'PreProcessError';

/** A file the message carried, as received (Manifest.xml and PackageHeader.xml included), decoded. */
export interface ReceivedFile {
  name: string;
  bytes: number;
  text: string;
}

export interface MessageRecord {
  messageId: string;
  activityId: string;
  entity: string | null;
  company: string | null;
  externalIdentifier: string | null;
  contentType: string | null;
  bytes: number;
  state: DataJobState;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Assigned when the job starts; the key for GetExecutionErrors. */
  executionId: string | null;
  executionLog: string;
  /** What GetExecutionErrors answers for executionId. */
  errors: string[];
  /** Files read from the upload (empty until the job runs, or when the upload could not be opened). */
  files: ReceivedFile[];
  journalNumbers: string[];
  rowCount: number;
  importedCount: number;
}

/** What one pass of the posting job did. */
export interface PostingRun {
  posted: { dataAreaId: string; JournalNumber: string }[];
  failed: { dataAreaId: string; JournalNumber: string; message: string }[];
}

export interface EmulatorAdmin {
  /** Replaces the rule for rule.endpoint. */
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  faults(): FaultRule[];
  settings(): EmulatorSettings;
  /** Changing postingDelayMs or postingJobEnabled reschedules the posting job at once. */
  updateSettings(patch: Partial<EmulatorSettings>): EmulatorSettings;
  dataProject(): DataProject;
  /** Validated; applies to jobs that run from now on (a queued message is read against it when it runs). */
  setDataProject(project: DataProject): DataProject;
  /** Everything back to the starting catalog and options: counters 0, faults off, nothing pending. Tokens stay valid. */
  reset(): void;
  addItem(item: { organizationId: string; itemNumber: string; name?: string }): void;
  addWarehouse(warehouse: { organizationId: string; siteId: string; locationId: string }): void;
  addJournalName(name: {
    organizationId: string;
    journalNameId: string;
    default?: boolean;
    deleteLinesAfterPosting?: boolean;
  }): void;
  /** Adds to fno.physicalinvent. */
  addOnHand(row: {
    organizationId: string;
    itemNumber: string;
    dimensions: Record<string, string>;
    quantity: number;
  }): void;
  /** Makes every issued token expired (tests the client's refresh on 401). */
  expireTokens(): void;
  /** One pass of the posting job now, enabled or not (offsets still follow after offsetLagMs). */
  runPostingJob(): PostingRun;
  counters(): Counters;
  events(): IvEventRecord[];
  journals(): JournalRecord[];
  messages(): MessageRecord[];
  onHand(filter?: { organizationId?: string; productId?: string }): OnHandRow[];
  /**
   * Resolves once no import and no offset is pending and the posting job's next pass would change
   * nothing (disabled, or every journal it would post was last attempted with the on-hand as it is now).
   */
  idle(): Promise<void>;
}
