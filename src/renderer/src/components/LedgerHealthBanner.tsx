import { Alert } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { LedgerHealth } from '../../../shared/ledger-health';
import { onEvent, rpc } from '../rpc/client';

/** How often the banner asks while the window is open: a full disk is rare, and cheap to ask about. */
const POLL_MS = 10_000;

/** Says, in the clerk's words, that the ledger cannot store anything right now (disk full or failing). */
export function LedgerHealthBanner() {
  const [health, setHealth] = useState<LedgerHealth | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      rpc('ledger.health', {})
        .then((h) => live && setHealth(h))
        .catch(() => {});
    };
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const off = onEvent('ledger.changed', refresh);
    return () => {
      live = false;
      clearInterval(timer);
      off();
    };
  }, []);
  if (health?.state !== 'degraded') return null;
  return (
    <Alert color="red" mb="md" title="The ledger cannot store new lines right now" role="alert">
      {health.message}
    </Alert>
  );
}
