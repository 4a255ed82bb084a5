import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { SyncStatus } from '../../../shared/sync-status';
import { type ConnectionState, onConnection, rpc } from '../rpc/client';
import { useEvent, useLedgerChanged } from '../rpc/hooks';

interface SyncStatusValue {
  status: SyncStatus | null;
  connection: ConnectionState;
  refresh: () => void;
}

const SyncStatusContext = createContext<SyncStatusValue>({
  status: null,
  connection: 'connecting',
  refresh: () => {},
});

/**
 * One copy of the sync status for the whole window: the header's indicators and the
 * Sync status page read it. Pushed 'sync.status' events keep it current; a ledger change
 * (a new line changes the unsynced count) asks for it again.
 */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');

  const refresh = useCallback(() => {
    rpc('sync.status', {}).then(setStatus, () => {
      // The connection indicator says why; the next event or change retries.
    });
  }, []);

  useEffect(() => {
    refresh();
    return onConnection(setConnection);
  }, [refresh]);
  useEvent('sync.status', setStatus);
  useLedgerChanged(refresh, 300);

  return (
    <SyncStatusContext.Provider value={{ status, connection, refresh }}>
      {children}
    </SyncStatusContext.Provider>
  );
}

export function useSyncStatus(): SyncStatusValue {
  return useContext(SyncStatusContext);
}
