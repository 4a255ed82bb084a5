export { extractUpstreamMessage } from './answer-text';
export {
  DEFAULT_TIMEOUT_MS,
  IV_ENTRA_SCOPE,
  IV_EXCHANGE_SCOPE,
  scmScope,
  type UpstreamConnection,
} from './config';
export { buildJournalPayload, type JournalFile } from './data-package';
export {
  isUpstreamError,
  UpstreamError,
  type UpstreamErrorData,
  type UpstreamErrorKind,
  type UpstreamService,
} from './errors';
export { parseRetryAfter } from './failures';
export { ImportProfileError, type ReadProfile, readImportProfile } from './import-profile-reader';
export {
  IV_BULK_MAX_EVENTS,
  IvClient,
  type IvExactQuery,
  type OnHandBulkRejection,
  type OnHandBulkResult,
  type OnHandEvent,
  type OnHandRow,
} from './iv-client';
export { buildCsv, type CsvValue, plainNumber } from './journal-csv';
export {
  type MasterBarcode,
  MasterDataClient,
  type MasterJournalName,
  type MasterProduct,
  type MasterSite,
  type MasterWarehouse,
  type OrganizationMasterData,
} from './master-data-client';
export {
  type EnqueuePayload,
  type EntityExecution,
  type JournalEntry,
  type JournalHeader,
  SCM_FINAL_JOB_STATES,
  SCM_JOB_STATES,
  type ScmJobState,
  type ScmJobStatus,
} from './scm-answers';
export { type ActivityProbe, type DataProjectEntity, ScmClient } from './scm-client';
export { odataString, type ScmClientOptions } from './scm-read-back';
export { type AuthService, TokenProvider, type TokenProviderOptions } from './tokens';
