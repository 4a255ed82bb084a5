import {
  Button,
  Code,
  Fieldset,
  FileButton,
  Group,
  List,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import type { ImportEntityProfile, ImportProfile } from '../../../../shared/import-profile';
import { FILE_INPUTS } from '../../../../shared/rpc';
import type { SettingsView } from '../../../../shared/settings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { useSession } from '../../state/session-context';
import { type FieldContext, NumberSetting, TextSetting } from './fields';

/** The largest exported package the action takes: said before the file is read. */
const LIMIT = FILE_INPUTS['settings.loadImportProfile'];

function EntityTable({ title, entity }: { title: string; entity: ImportEntityProfile }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}: {entity.entityName}{' '}
        <Text span c="dimmed" size="sm">
          ({entity.fileName})
        </Text>
      </Text>
      <Table withTableBorder striped fz="xs" aria-label={`${title} columns`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Field</Table.Th>
            <Table.Th>Column in the file</Table.Th>
            <Table.Th>Staging field</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entity.columns.map((c) => (
            <Table.Tr key={c.field}>
              <Table.Td>{c.field}</Table.Td>
              <Table.Td>
                <Code>{c.column}</Code>
              </Table.Td>
              <Table.Td>{c.entityField}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The import profile in use, read-only, and the way to replace it from the data project's export. */
function ImportProfileView({
  profile,
  onLoaded,
}: {
  profile: ImportProfile;
  onLoaded: (v: SettingsView) => void;
}) {
  const [notes, setNotes] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const why = useSession().whyNot('settings.loadImportProfile');
  const load = async (file: File | null) => {
    if (!file) return;
    setFailure(null);
    setNotes([]);
    if (file.size > LIMIT.maxBytes) {
      setFailure(new Error(`${file.name} is larger than ${LIMIT.words}.`));
      return;
    }
    setLoading(true);
    try {
      const result = await rpc('settings.loadImportProfile', {
        fileName: file.name,
        content: new Uint8Array(await file.arrayBuffer()),
      });
      setNotes(result.notes);
      onLoaded(result.settings);
    } catch (e) {
      setFailure(e);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" fw={500}>
            SCM import profile
          </Text>
          <Text size="xs" c="dimmed" maw={640}>
            The shape of the data project SCM's Generate configurations created: what is sent, in which files
            and columns. Load the project's own export (Data management › the project › Download, a zip, or
            its Manifest.xml) to use its real names.
          </Text>
        </div>
        <FileButton
          onChange={(f) => void load(f)}
          accept=".zip,.xml,application/zip,text/xml"
          disabled={why !== null}
        >
          {(props) => (
            <Button {...props} variant="default" leftSection={<IconFileImport size={16} />} loading={loading}>
              Load from exported package…
            </Button>
          )}
        </FileButton>
      </Group>
      {why && (
        <Text size="xs" c="dimmed">
          {why}
        </Text>
      )}
      <Text size="sm" data-testid="import-profile-summary">
        Data project <b>{profile.projectName}</b>:{' '}
        {profile.kind === 'package' ? 'data packages (a zip per package)' : 'single files'}, {profile.format}.
      </Text>
      {notes.length > 0 && (
        <List size="xs" c="dimmed">
          {notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
      )}
      <ErrorAlert error={failure} title="The profile was not changed" />
      {profile.headers && <EntityTable title="Journal headers" entity={profile.headers} />}
      <EntityTable title="Journal lines" entity={profile.lines} />
    </Stack>
  );
}

/** The GA article's SCM settings and the data project's shape. */
export function ScmSection({
  ctx,
  view,
  onLoaded,
}: {
  ctx: FieldContext;
  view: SettingsView;
  onLoaded: (v: SettingsView) => void;
}) {
  return (
    <Fieldset legend="Supply Chain Management journals">
      <Stack>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NumberSetting
            ctx={ctx}
            field="fnoSyncMaxJournalCountInPackage"
            label="Fno sync max journal count in package"
            help="Journals per data package sent to SCM (default 1)."
            min={1}
            max={100}
          />
          <NumberSetting
            ctx={ctx}
            field="postingOverdueHours"
            label="Posting overdue after (hours)"
            help="A journal SCM's posting job has not posted by then shows FnOPostError; it still turns FnOPosted when SCM posts it (default 24)."
            min={1}
            max={720}
          />
          <NumberSetting
            ctx={ctx}
            field="packageQueuedAlertHours"
            label="Package queued alert after (hours)"
            help="A data package SCM has not started importing this long after it was sent is shown on Sync status and in the header (default 6)."
            min={1}
            max={168}
          />
          <TextSetting
            ctx={ctx}
            field="fnoSyncWindowStart"
            label="Fno sync window: start"
            help="Time of day the periodic SCM job may start sending, e.g. 20:00. Blank with the end: all day. Sync now ignores it."
            placeholder="20:00"
          />
          <TextSetting
            ctx={ctx}
            field="fnoSyncWindowEnd"
            label="Fno sync window: end"
            help="Time of day it stops sending new journals, e.g. 23:30 (the same day)."
            placeholder="23:30"
          />
          <NumberSetting
            ctx={ctx}
            field="upstreamCallsInFlight"
            label="Upstream calls in flight"
            help="IV calls sent at once while catching up after an outage (default 4)."
            min={1}
            max={16}
          />
          <NumberSetting
            ctx={ctx}
            field="scmPackagesInFlight"
            label="SCM packages in flight"
            help="Data packages SCM imports at once (default 1: parallel imports into one entity are reported to deadlock)."
            min={1}
            max={16}
          />
          <TextSetting
            ctx={ctx}
            field="journalNamesEntitySet"
            label="Journal names entity set"
            help="The OData entity set of your inventory journal names, if SCM has one (none is standard): journal names are then checked at entry. Blank: not checked."
            placeholder="InventJournalNames"
          />
          <TextSetting
            ctx={ctx}
            field="ivDimensionDataSource"
            label="IV dimension data source"
            help="External dimensions go to Inventory Visibility under this data source's dimension mapping; blank keeps them in the ledger only."
            placeholder="pos"
          />
        </SimpleGrid>
        <ImportProfileView profile={view.transactions.scmImportProfile} onLoaded={onLoaded} />
      </Stack>
    </Fieldset>
  );
}
