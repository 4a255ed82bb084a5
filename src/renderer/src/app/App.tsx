import { Alert, Center, Text } from '@mantine/core';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage';
import { AuditPage } from '../pages/audit/AuditPage';
import { CountPage } from '../pages/count/CountPage';
import { CreateTransactionPage } from '../pages/create/CreateTransactionPage';
import { DiagnosticsPage } from '../pages/diagnostics/DiagnosticsPage';
import { DraftsPage } from '../pages/drafts/DraftsPage';
import { OnHandPage } from '../pages/onhand/OnHandPage';
import { PeoplePage } from '../pages/people/PeoplePage';
import { ReasonsPage } from '../pages/reasons/ReasonsPage';
import { ScanPage } from '../pages/scan/ScanPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { FirstStart } from '../pages/signin/FirstStart';
import { SignInScreen } from '../pages/signin/SignInScreen';
import { SyncStatusPage } from '../pages/sync/SyncStatusPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import { PreferencesProvider } from '../state/preferences-context';
import { useRoute } from '../state/router';
import { SessionProvider, useSession } from '../state/session-context';
import { SyncStatusProvider } from '../state/sync-status-context';
import { AppFrame } from './AppFrame';

export function App() {
  return (
    <PreferencesProvider>
      <SessionProvider>
        <SignedIn />
      </SessionProvider>
    </PreferencesProvider>
  );
}

/** The pages once someone is signed in (or single clerk); before that, the first start or sign-in. */
function SignedIn() {
  const route = useRoute();
  const { session, failure } = useSession();
  if (!session)
    return (
      <Center mih="100vh" p="md">
        {failure ? (
          <Alert color="red" title="Store Ledger cannot be reached" role="alert" maw={560}>
            {failure}
          </Alert>
        ) : (
          <Text c="dimmed">Loading…</Text>
        )}
      </Center>
    );
  if (session.mode === 'unset') return <FirstStart />;
  if (session.mode === 'people' && !session.actor) return <SignInScreen />;
  return (
    <SyncStatusProvider>
      <AppFrame page={route.page}>
        {route.page === 'transactions' && <TransactionsPage route={route} />}
        {route.page === 'create' && <CreateTransactionPage />}
        {route.page === 'scan' && <ScanPage />}
        {route.page === 'count' && <CountPage />}
        {route.page === 'onhand' && <OnHandPage />}
        {route.page === 'drafts' && <DraftsPage />}
        {route.page === 'sync' && <SyncStatusPage />}
        {route.page === 'settings' && <SettingsPage />}
        {route.page === 'people' && <PeoplePage />}
        {route.page === 'approvals' && <ApprovalsPage />}
        {route.page === 'reasons' && <ReasonsPage />}
        {route.page === 'audit' && <AuditPage />}
        {route.page === 'diagnostics' && <DiagnosticsPage />}
      </AppFrame>
    </SyncStatusProvider>
  );
}
