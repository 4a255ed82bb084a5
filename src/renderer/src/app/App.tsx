import { CreateTransactionPage } from '../pages/create/CreateTransactionPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { SyncStatusPage } from '../pages/sync/SyncStatusPage';
import { TransactionsPage } from '../pages/transactions/TransactionsPage';
import { AppFrame } from './AppFrame';
import { PreferencesProvider } from './preferences-context';
import { useRoute } from './router';
import { SyncStatusProvider } from './sync-status-context';

export function App() {
  const route = useRoute();
  return (
    <PreferencesProvider>
      <SyncStatusProvider>
        <AppFrame page={route.page}>
          {route.page === 'transactions' && <TransactionsPage route={route} />}
          {route.page === 'create' && <CreateTransactionPage />}
          {route.page === 'sync' && <SyncStatusPage />}
          {route.page === 'settings' && <SettingsPage />}
        </AppFrame>
      </SyncStatusProvider>
    </PreferencesProvider>
  );
}
