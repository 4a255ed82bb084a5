import { exportAuditCsv } from '../audit/export';
import type { AuditTrail } from '../audit/trail';
import type { DownloadOffers } from '../downloads/offers';
import type { Ledger } from '../ledger';
import type { RpcHandlers } from './context';

/** The audit trail's RPCs: a page of it, its check, the last check's answer, a CSV of it. */
export function auditHandlers(deps: {
  audit: AuditTrail;
  ledger: Ledger;
  downloads: DownloadOffers;
}): Pick<RpcHandlers, 'audit.list' | 'audit.verify' | 'audit.status' | 'audit.export'> {
  const { audit, ledger, downloads } = deps;
  return {
    'audit.list': (query) => audit.list(query),
    'audit.verify': () => audit.verify(),
    'audit.status': () => audit.status(),
    'audit.export': (query) => exportAuditCsv(ledger, downloads, query),
  };
}
