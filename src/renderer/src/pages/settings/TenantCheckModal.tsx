import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../../../../shared/adjustment';
import {
  SANDBOX_REFUSAL,
  type TenantCheckResult,
  tenantCheckInputSchema,
} from '../../../../shared/tenant-check';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';

type Field = 'item' | 'site' | 'warehouse' | 'organization' | 'confirmSandbox';

/**
 * *Check this tenant…*: asks a sandbox what the app can only assume where Microsoft is silent,
 * with a zero-net pair of test lines on one test item. It never runs without the sandbox tick and
 * a test item (the button stays disabled, and main refuses such a call too).
 */
export function TenantCheckModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [item, setItem] = useState('');
  const [site, setSite] = useState('');
  const [warehouse, setWarehouse] = useState('');
  const [organization, setOrganization] = useState('');
  const [sandbox, setSandbox] = useState(false);
  const [post, setPost] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TenantCheckResult | null>(null);

  const ready = sandbox && item.trim() !== '' && site.trim() !== '' && warehouse.trim() !== '';
  const run = async () => {
    const input = {
      item,
      site,
      warehouse,
      organization: organization.trim() === '' ? null : organization,
      confirmSandbox: sandbox,
      post,
    };
    const parsed = tenantCheckInputSchema.safeParse(input);
    if (!parsed.success) {
      const out: Partial<Record<Field, string>> = {};
      for (const e of fieldErrors(parsed.error)) out[e.field as Field] ??= e.message;
      return setErrors(out);
    }
    setErrors({});
    setFailure(null);
    setResult(null);
    setBusy(true);
    try {
      setResult(await rpc('sync.tenantCheck', { ...input, confirmSandbox: true }));
    } catch (e) {
      const byField = isRpcError(e) ? e.byField() : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      size="xl"
      title="Check this tenant"
    >
      <Stack>
        <Text size="sm">
          Asks SCM and Inventory Visibility what Store Ledger can only assume where Microsoft's documentation
          is silent. It records a +1 and a −1 on the test item, in IV and in an SCM journal that is only
          created
          {post ? ' and then posted' : ', never posted'}: nothing changes net. Every ID and description starts
          with "tenant-check-".
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Test item"
            description="An item kept for tests"
            value={item}
            onChange={(e) => setItem(e.currentTarget.value)}
            error={errors.item}
            withAsterisk
            data-autofocus
          />
          <TextInput
            label="Organization"
            description="Blank: the default organization"
            value={organization}
            onChange={(e) => setOrganization(e.currentTarget.value)}
            error={errors.organization}
          />
          <TextInput
            label="Site"
            value={site}
            onChange={(e) => setSite(e.currentTarget.value)}
            error={errors.site}
            withAsterisk
          />
          <TextInput
            label="Warehouse"
            value={warehouse}
            onChange={(e) => setWarehouse(e.currentTarget.value)}
            error={errors.warehouse}
            withAsterisk
          />
        </SimpleGrid>
        <Checkbox
          label="This is a sandbox, not production"
          description={SANDBOX_REFUSAL}
          checked={sandbox}
          onChange={(e) => setSandbox(e.currentTarget.checked)}
          error={errors.confirmSandbox}
        />
        <Checkbox
          label="Also let SCM's posting job post the test journal, and wait for it"
          checked={post}
          onChange={(e) => setPost(e.currentTarget.checked)}
        />
        <ErrorAlert error={failure} title="The tenant check did not run" />
        {busy && (
          <Text size="sm" c="dimmed" role="status">
            Checking… SCM imports on its own schedule: this can take a few minutes.
          </Text>
        )}
        {result && <Answers result={result} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Done
          </Button>
          <Button onClick={() => void run()} loading={busy} disabled={!ready}>
            Run the check
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Answers({ result }: { result: TenantCheckResult }) {
  const { report } = result;
  return (
    <Stack gap="xs" data-testid="tenant-check-answers">
      {report.outcome === 'unreachable' ? (
        <Alert color="red" title="The tenant could not be reached">
          {report.unreachable}
        </Alert>
      ) : (
        <List spacing="sm">
          {report.answers.map((a) => (
            <List.Item key={a.key}>
              <Text size="sm" fw={600}>
                {a.question}
              </Text>
              <Text size="sm">{a.answer}</Text>
              <Text size="xs" c="dimmed">
                Settles: {a.settles}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      <Text size="xs" c="dimmed">
        The report, with SCM's and IV's raw answers: {result.markdownPath} (and {result.jsonPath})
      </Text>
    </Stack>
  );
}
