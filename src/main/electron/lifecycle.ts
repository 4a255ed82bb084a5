import type { SyncStatus } from '../../shared/sync-status';

/**
 * What Quit says before it stops: the lines still waiting for SCM (they are safe in the
 * ledger), and that the store's systems cannot post while Store Ledger is closed.
 */
export function quitWarning(status: SyncStatus): { message: string; detail: string } | null {
  if (status.unsynced === 0) return null;
  const n = status.unsynced.toLocaleString();
  return {
    message: `${n} line${status.unsynced === 1 ? ' is' : 's are'} still waiting to reach SCM`,
    detail:
      'They are safe in the ledger and are sent the next time Store Ledger runs. While it is closed, ' +
      "the store's systems (POS, e-commerce) cannot post adjustments to it. Quit anyway?",
  };
}
