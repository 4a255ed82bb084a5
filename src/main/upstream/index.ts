export {
  DEFAULT_TIMEOUT_MS,
  IV_ENTRA_SCOPE,
  IV_EXCHANGE_SCOPE,
  scmScope,
  type UpstreamConnection,
} from './config';
export {
  extractUpstreamMessage,
  isUpstreamError,
  parseRetryAfter,
  UpstreamError,
  type UpstreamErrorData,
  type UpstreamErrorKind,
  type UpstreamService,
} from './errors';
export {
  IV_BULK_MAX_EVENTS,
  IvClient,
  type IvExactQuery,
  type OnHandBulkRejection,
  type OnHandBulkResult,
  type OnHandEvent,
  type OnHandRow,
} from './iv-client';
export {
  buildJournalCsv,
  JOURNAL_COLUMNS,
  type JournalColumn,
  type JournalRow,
  plainNumber,
} from './journal-csv';
export {
  type JournalEntry,
  type JournalHeader,
  type JournalPostingStatus,
  odataString,
  SCM_FINAL_JOB_STATES,
  SCM_IMPORT_ENTITY,
  SCM_JOB_STATES,
  ScmClient,
  type ScmClientOptions,
  type ScmJobState,
  type ScmJobStatus,
} from './scm-client';
export { type AuthService, TokenProvider, type TokenProviderOptions } from './tokens';
