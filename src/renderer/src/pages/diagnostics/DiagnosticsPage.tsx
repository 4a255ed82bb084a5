import { Alert, Button, Checkbox, Stack, Text, Title } from '@mantine/core';
import { IconFileZip } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { saveOffered } from '../../rpc/downloads';

/** One action for store IT: a zip of what explains this store's ledger, without any secret. */
export function DiagnosticsPage() {
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<{ fileName: string; path: string; bytes: number } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [full, setFull] = useState(false);

  const create = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const bundle = await rpc('diagnostics.create', { full });
      setWritten(bundle);
      // Also offered for saving elsewhere: in a browser the data folder may be on another desk.
      await saveOffered(bundle);
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" maw={800}>
      <Title order={2}>Diagnostics</Title>
      <Text>
        A zip for store IT: versions, operating system, settings and import profile (upstream addresses as
        hosts only), counts by status, the last sync runs and attempts, the ledger's integrity check and the
        end of the log. The client secret, the API key and tokens are never in it. Store Ledger keeps
        answering while it is made, and keeps the last bundles only (Settings: diagnostics bundles kept).
      </Text>
      <Checkbox
        label="Full integrity check"
        description="Checks every index against its table: takes minutes on a large ledger. The quick check finds damaged pages."
        checked={full}
        onChange={(e) => setFull(e.currentTarget.checked)}
      />
      <Button
        w="fit-content"
        leftSection={<IconFileZip size={16} />}
        loading={busy}
        onClick={() => void create()}
      >
        Create diagnostics bundle
      </Button>
      {written && (
        <Alert color="green" role="status" title="Diagnostics bundle written">
          {written.fileName} ({Math.ceil(written.bytes / 1024)} KB), saved in {written.path}
        </Alert>
      )}
      <ErrorAlert error={failure} title="No bundle" />
    </Stack>
  );
}
