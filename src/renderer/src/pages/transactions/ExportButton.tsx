import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../rpc/errors';

export function ExportButton({ label, run }: { label: string; run: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      leftSection={<IconFileTypeCsv size={16} />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await run();
        } catch (e) {
          notifications.show({ color: 'red', title: 'Export failed', message: errorMessage(e) });
        } finally {
          setBusy(false);
        }
      }}
    >
      {label}
    </Button>
  );
}
