// Public types of the upstream emulator. index.ts re-exports all of them.

export interface Catalog {
  organizations: string[];
  items: { organizationId: string; itemNumber: string }[];
  warehouses: { organizationId: string; siteId: string; locationId: string }[];
  journalNames: { organizationId: string; journalNameId: string; default?: boolean }[];
  /** Starting physical on-hand; it appears in IV as fno.physicalinvent. */
  onHand: {
    organizationId: string;
    itemNumber: string;
    dimensions: Record<string, string>;
    quantity: number;
  }[];
}

export interface EmulatorOptions {
  port?: number;
  catalog?: Catalog;
  importDelayMs?: number;
  postingDelayMs?: number;
  tokenLifetimeSeconds?: number;
  ivTokenRedirect?: boolean;
  seed?: number;
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
  | 'scmOData'
  | '*';
export type FaultKind = '429' | '500' | 'hang' | 'drop' | 'lost';

export interface FaultRule {
  endpoint: FaultEndpoint;
  /** Share of requests that fail, 0..1. */
  rate: number;
  /** Default ['500']. */
  kinds?: FaultKind[];
  /** Default 1. */
  retryAfterSeconds?: number;
}

export interface EmulatorSettings {
  importDelayMs: number;
  postingDelayMs: number;
  ivTokenRedirect: boolean;
  /** Answer DataJobState as its number (Enqueued=0 ... PreProcessError=8) instead of its name. */
  jobStateAsNumber: boolean;
  /** Rows per OData page (SCM: 10,000); lower it to test paging. */
  odataPageSize: number;
}

export interface Counters {
  ivBulkCalls: number;
  ivEventsReceived: number;
  ivEventsAccepted: number;
  ivEventsDuplicate: number;
  ivEventsRejected: number;
  scmEnqueueCalls: number;
  /** OData GETs that reached an entity set (every page; a fault that stops the request first is not counted). */
  scmODataCalls: number;
  /** scmRowsImported + scmRowsDuplicate + scmRowsFailed, for files that could be read. */
  scmRowsReceived: number;
  scmRowsImported: number;
  scmRowsDuplicate: number;
  /** Failed rows other than duplicates. */
  scmRowsFailed: number;
  journals: number;
  /** Journals posted; each once, whichever pass of the posting job posted it. */
  journalsPosted: number;
  /**
   * Journals whose posting failed at least once; each counted once, however many passes it
   * failed, and still counted if a later pass posted it (it is then in journalsPosted too).
   */
  journalsPostError: number;
  /** Every failed posting attempt, first and re-attempts: grows each pass while a cause stays. */
  postingAttemptsFailed: number;
  faultsInjected: number;
}

export type Quantities = Record<string, Record<string, number>>;

export interface IvEventRecord {
  id: string;
  organizationId: string;
  productId: string;
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

export type PostingStatus = 'NotPosted' | 'Posted' | 'PostError';

export interface JournalHeader {
  dataAreaId: string;
  JournalNumber: string;
  JournalNameId: string;
  IsPosted: 'Yes' | 'No';
  InventoryServicePostingStatus: PostingStatus;
  InventoryServicePostingError: string;
}

export interface JournalLine {
  dataAreaId: string;
  JournalNumber: string;
  LineNumber: number;
  InventoryServiceTransactionId: string;
  JournalNameId: string;
  InventoryServiceJournalExpectedStatus: 'Created' | 'Posted';
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
  InventoryServiceAdjustmentOffsetDatasource: string;
  InventoryServiceAdjustmentOffsetPhysicalMeasure: string;
}

export interface JournalRecord extends JournalHeader {
  messageId: string;
  externalIdentifier: string | null;
  createdAt: string;
  postedAt: string | null;
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

export interface MessageRecord {
  messageId: string;
  activityId: string;
  entity: string | null;
  company: string | null;
  externalIdentifier: string | null;
  state: DataJobState;
  enqueuedAt: string;
  finishedAt: string | null;
  executionLog: string;
  journalNumbers: string[];
  rowCount: number;
  importedCount: number;
}

export interface EmulatorAdmin {
  /** Replaces the rule for rule.endpoint. */
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  faults(): FaultRule[];
  settings(): EmulatorSettings;
  updateSettings(patch: Partial<EmulatorSettings>): EmulatorSettings;
  /** Everything back to the starting catalog and options: counters 0, faults off, nothing pending. Tokens stay valid. */
  reset(): void;
  addItem(item: { organizationId: string; itemNumber: string }): void;
  addWarehouse(warehouse: { organizationId: string; siteId: string; locationId: string }): void;
  addJournalName(name: { organizationId: string; journalNameId: string; default?: boolean }): void;
  /** Adds to fno.physicalinvent. */
  addOnHand(row: {
    organizationId: string;
    itemNumber: string;
    dimensions: Record<string, string>;
    quantity: number;
  }): void;
  /** Makes every issued token expired (tests the client's refresh on 401). */
  expireTokens(): void;
  counters(): Counters;
  events(): IvEventRecord[];
  journals(): JournalRecord[];
  messages(): MessageRecord[];
  onHand(filter?: { organizationId?: string; productId?: string }): OnHandRow[];
  /**
   * Resolves once no import or posting is pending and no journal in PostError could post on
   * the next pass (its last attempt saw the current on-hand).
   */
  idle(): Promise<void>;
}
