import { CountPage } from '../pages/count/CountPage';
import { CreateTransactionPage } from '../pages/create/CreateTransactionPage';
import { DiagnosticsPage } from '../pages/diagnostics/DiagnosticsPage';
import { DraftsPage } from '../pages/drafts/DraftsPage';
import { OnHandPage } from '../pages/onhand/OnHandPage';
import { ScanPage } from '../pages/scan/ScanPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { SyncStatusPage } from '../pages/sync/SyncStatusPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import { PreferencesProvider } from '../state/preferences-context';
import { useRoute } from '../state/router';
import { SyncStatusProvider } from '../state/sync-status-context';
import { AppFrame } from './AppFrame';

export function App() {
  const route = useRoute();
  return (
    <PreferencesProvider>
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
          {route.page === 'diagnostics' && <DiagnosticsPage />}
        </AppFrame>
      </SyncStatusProvider>
    </PreferencesProvider>
  );
}
