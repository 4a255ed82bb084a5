import { Alert, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import type { OnHandAnswer } from '../../../../shared/onhand';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { OnHandTable } from './OnHandTable';

/** What IV said at its last query, the lines still pending here, and their sum, per warehouse. */
export function OnHandPage() {
  const settings = useRpc('settings.get', {});
  const [org, setOrg] = useState('');
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<(OnHandAnswer & { title: string }) | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    if (org === '' && settings.data?.defaultOrganizationId) setOrg(settings.data.defaultOrganizationId);
  }, [org, settings.data]);

  const look = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    try {
      const found = await rpc('masterData.lookup', { organizationId: org, code });
      const productId = found.found?.itemNumber ?? code.trim();
      const result = await rpc('onhand.get', { organizationId: org, productId });
      setAnswer({ ...result, title: `${productId}${found.found?.name ? ` — ${found.found.name}` : ''}` });
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <Stack gap="sm" maw={1000}>
      <Title order={2}>On-hand</Title>
      <form onSubmit={(e) => void look(e)}>
        <Group align="flex-end">
          <TextInput label="Organization" value={org} onChange={(e) => setOrg(e.currentTarget.value)} />
          <TextInput
            label="Item or barcode"
            value={code}
            autoFocus
            onChange={(e) => setCode(e.currentTarget.value)}
          />
          <Button type="submit" disabled={code.trim() === '' || org.trim() === ''}>
            Show on-hand
          </Button>
        </Group>
      </form>
      <ErrorAlert error={failure} title="No answer" />
      {answer && (
        <>
          <Text fw={600}>{answer.title}</Text>
          {answer.note && (
            <Alert color="yellow" role="status">
              {answer.note}
            </Alert>
          )}
          {answer.rows.length === 0 ? (
            <Text>Nothing on hand in IV and nothing pending here.</Text>
          ) : (
            <OnHandTable rows={answer.rows} />
          )}
        </>
      )}
    </Stack>
  );
}
