import { Alert, AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAdjustmentsHorizontal,
  IconBarcode,
  IconBuildingWarehouse,
  IconChecklist,
  IconFileImport,
  IconFileZip,
  IconListDetails,
  IconListNumbers,
  IconPlus,
  IconRefresh,
  IconShieldCheck,
  IconTags,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { AuditBanner } from '../components/AuditBanner';
import { LedgerHealthBanner } from '../components/LedgerHealthBanner';
import { WaitingBadge } from '../pages/approvals/WaitingBadge';
import { href, type Page } from '../state/router';
import { useSession } from '../state/session-context';
import { useSyncStatus } from '../state/sync-status-context';
import { StatusIndicators } from './StatusIndicators';
import { ThemeSwitch } from './ThemeSwitch';
import { WhoIsSignedIn } from './WhoIsSignedIn';

const NAV: { page: Page; label: string; icon: ReactNode }[] = [
  { page: 'transactions', label: 'Inventory transactions', icon: <IconListDetails size={18} /> },
  { page: 'create', label: 'Create transaction', icon: <IconPlus size={18} /> },
  { page: 'scan', label: 'Scan', icon: <IconBarcode size={18} /> },
  { page: 'count', label: 'Count', icon: <IconListNumbers size={18} /> },
  { page: 'onhand', label: 'On-hand', icon: <IconBuildingWarehouse size={18} /> },
  { page: 'drafts', label: 'Drafts and import', icon: <IconFileImport size={18} /> },
  { page: 'sync', label: 'Sync status', icon: <IconRefresh size={18} /> },
  { page: 'settings', label: 'Settings', icon: <IconAdjustmentsHorizontal size={18} /> },
  { page: 'people', label: 'People', icon: <IconUsers size={18} /> },
  { page: 'approvals', label: 'Waiting for approval', icon: <IconChecklist size={18} /> },
  { page: 'reasons', label: 'Reason codes', icon: <IconTags size={18} /> },
  { page: 'audit', label: 'Audit trail', icon: <IconShieldCheck size={18} /> },
  { page: 'diagnostics', label: 'Diagnostics', icon: <IconFileZip size={18} /> },
];

export function AppFrame({ page, children }: { page: Page; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { connection } = useSyncStatus();
  const { whyNot } = useSession();
  // The staff list is a manager's: a clerk is not shown a page that would only refuse.
  const nav = NAV.filter(
    (item) =>
      (item.page !== 'people' || whyNot('people.list') === null) &&
      (item.page !== 'audit' || whyNot('audit.list') === null),
  );
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <IconBuildingWarehouse size={24} aria-hidden />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              Store Ledger
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <StatusIndicators />
            <WhoIsSignedIn />
            <ThemeSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        {nav.map((item) => (
          <NavLink
            key={item.page}
            component="a"
            href={href(item.page)}
            label={item.label}
            rightSection={item.page === 'approvals' ? <WaitingBadge /> : undefined}
            leftSection={item.icon}
            active={item.page === page}
            onClick={close}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">
          Inventory Visibility business layer, offline first
        </Text>
      </AppShell.Navbar>
      <AppShell.Main>
        {connection === 'unauthorized' && (
          <Alert color="red" mb="md" title="This window lost its session" role="alert">
            Store Ledger was restarted or this address is old. Open the address Store Ledger printed when it
            started (it ends with #token=…).
          </Alert>
        )}
        <LedgerHealthBanner />
        <AuditBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
