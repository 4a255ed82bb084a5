import { Alert, Anchor } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditVerifyReport } from '../../../shared/audit';
import { rpc } from '../rpc/client';
import { href } from '../state/router';

/** The start's check runs in the background: asked again until it has answered. */
const POLL_MS = 15_000;

/**
 * A warning, not a stop: the audit check (at start, or a manager's) found the ledger file changed
 * outside Store Ledger. The store keeps working; a manager looks at the audit trail.
 */
export function AuditBanner() {
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      rpc('audit.status', {})
        .then((s) => live && setReport(s.report))
        .catch(() => {});
    };
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!report || report.ok) return null;
  return (
    <Alert color="orange" mb="md" title="The ledger file was changed outside Store Ledger" role="alert">
      {report.summary} The store keeps working; a manager can see the details under{' '}
      <Anchor href={href('audit')}>Audit trail</Anchor>.
    </Alert>
  );
}
