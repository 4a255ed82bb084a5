import { Alert, Modal, Stack, Tabs, Text } from '@mantine/core';
import type { AdjustmentLineInput } from '../../../../shared/adjustment';
import { MAX_LINES_PER_REQUEST } from '../../../../shared/adjustment';
import { CodeBlock } from '../../components/CodeBlock';
import { useRpc } from '../../rpc/hooks';
import { developerReference } from './developer-reference';

/** *Developer reference*: what an integrator sends to post exactly what is on the form. */
export function DeveloperReferenceModal(props: {
  opened: boolean;
  onClose: () => void;
  line: AdjustmentLineInput;
  instant: boolean;
}) {
  const { opened, onClose, line, instant } = props;
  const info = useRpc('app.info', opened ? {} : null);
  const settings = useRpc('settings.get', opened ? {} : null);
  const ref = developerReference({
    line,
    instant,
    apiBaseUrl: info.data?.apiBaseUrl ?? null,
    environmentId: settings.data?.environmentId ?? null,
    // A key is shown once, when an administrator creates it: the example names where it comes from.
    apiKey: null,
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Developer reference" size="xl">
      <Stack>
        <Text size="sm">
          <b>POST</b> {ref.url ?? '/api/environment/{environmentId}/transaction/adjustment/bulk'} with{' '}
          <code>Authorization: Bearer &lt;API key&gt;</code> and a JSON body: one line, or an array of up to
          {MAX_LINES_PER_REQUEST.toLocaleString()}, stored all or nothing. Resending a line with the same{' '}
          <code>id</code> never records it twice.
          {instant && ' The query string asks for the instant update to IV, as the form does.'}
        </Text>
        {ref.missing && <Alert color="yellow">{ref.missing}</Alert>}
        <Tabs defaultValue="single" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="single">Single line</Tabs.Tab>
            <Tabs.Tab value="bulk">Bulk</Tabs.Tab>
            <Tabs.Tab value="curl" disabled={!ref.curl}>
              curl
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="single" pt="sm">
            <CodeBlock code={ref.single} label="single line body" />
          </Tabs.Panel>
          <Tabs.Panel value="bulk" pt="sm">
            <Text size="xs" c="dimmed" mb="xs">
              Each line needs its own id; the second line is only there to show the shape.
            </Text>
            <CodeBlock code={ref.bulk} label="bulk body" />
          </Tabs.Panel>
          <Tabs.Panel value="curl" pt="sm">
            {ref.curl && <CodeBlock code={ref.curl} label="curl command" />}
            <Text size="xs" c="dimmed" mt="xs">
              The command carries this ledger's API key: treat it like a password.
            </Text>
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Modal>
  );
}
