import {
  Alert,
  Button,
  FileButton,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconFileImport, IconSend } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { RowError } from '../../../../shared/drafts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { DraftRows } from './DraftRows';
import { fileToBase64 } from './file';

/**
 * Draft batches: paste a block from a spreadsheet or import a CSV/XLSX file, see each bad row
 * by its number and field, then Post batch (all rows or none).
 */
export function DraftsPage() {
  const drafts = useRpc('drafts.list', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [pasted, setPasted] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);
  const [busy, setBusy] = useState(false);
  const detail = useRpc('drafts.get', selected ? { draftId: selected, top: 100, skip: 0 } : null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
      drafts.reload();
      detail.reload();
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const d = await rpc('drafts.create', { name });
      setSelected(d.draftId);
      setName('');
      setRowErrors([]);
    });
  };

  const added = (result: { added: number; errors: RowError[] }) => {
    setRowErrors(result.errors);
    setNotice(
      `${result.added} rows added${result.errors.length > 0 ? `; ${result.errors.length} problems to fix before posting` : ''}.`,
    );
  };

  const draft = detail.data;
  return (
    <Stack gap="sm" maw={1000}>
      <Title order={2}>Drafts and import</Title>
      <form onSubmit={create}>
        <Group align="flex-end">
          <TextInput
            label="New draft"
            placeholder="e.g. Aisle 4 count"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Button type="submit" disabled={name.trim() === ''} loading={busy}>
            Create draft
          </Button>
        </Group>
      </form>
      {(drafts.data ?? []).length > 0 && (
        <Group gap="xs" aria-label="Drafts">
          {drafts.data!.map((d) => (
            <Button
              key={d.draftId}
              size="xs"
              variant={d.draftId === selected ? 'filled' : 'light'}
              onClick={() => {
                setSelected(d.draftId);
                setRowErrors([]);
                setNotice(null);
              }}
            >
              {d.name} · {d.rowCount} rows{d.errorCount > 0 ? ` · ${d.errorCount} to fix` : ''}
              {d.state === 'Posted' ? ' · posted' : ''}
            </Button>
          ))}
        </Group>
      )}
      {draft && (
        <Stack gap="xs">
          <Text fw={600}>
            {draft.name}: {draft.rowCount} rows, {draft.errorCount} to fix
            {draft.state === 'Posted' ? ', posted' : ''}
          </Text>
          {draft.state === 'Open' && (
            <>
              <Textarea
                label="Paste rows from a spreadsheet"
                description="Copy the cells with their header row (Item, Quantity, Site, Warehouse, …) and paste here"
                autosize
                minRows={3}
                maxRows={8}
                value={pasted}
                onChange={(e) => setPasted(e.currentTarget.value)}
              />
              <Group>
                <Button
                  disabled={pasted.trim() === ''}
                  loading={busy}
                  onClick={() =>
                    void run(async () => {
                      added(await rpc('drafts.paste', { draftId: draft.draftId, text: pasted }));
                      setPasted('');
                    })
                  }
                >
                  Add pasted rows
                </Button>
                <FileButton
                  accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  onChange={(file) =>
                    file &&
                    void run(async () =>
                      added(
                        await rpc('drafts.import', {
                          draftId: draft.draftId,
                          fileName: file.name,
                          contentBase64: await fileToBase64(file),
                        }),
                      ),
                    )
                  }
                >
                  {(props) => (
                    <Button
                      {...props}
                      variant="light"
                      leftSection={<IconFileImport size={16} />}
                      loading={busy}
                    >
                      Import CSV or XLSX
                    </Button>
                  )}
                </FileButton>
                <Button
                  color="green"
                  leftSection={<IconSend size={16} />}
                  disabled={draft.rowCount === 0}
                  loading={busy}
                  onClick={() =>
                    void run(async () => {
                      const r = await rpc('drafts.post', { draftId: draft.draftId });
                      setNotice(
                        `Posted: ${r.created} lines entered the ledger${r.alreadyPosted > 0 ? `, ${r.alreadyPosted} were already there` : ''}.`,
                      );
                    })
                  }
                >
                  Post batch
                </Button>
              </Group>
            </>
          )}
        </Stack>
      )}
      {notice && (
        <Alert color="blue" role="status">
          {notice}
        </Alert>
      )}
      <ErrorAlert error={failure} title="Not done" />
      {(rowErrors.length > 0 || (draft?.errors.length ?? 0) > 0) && (
        <Alert
          color="yellow"
          title={
            rowErrors.length > 0
              ? 'Rows to fix, numbered as in the pasted block or file'
              : 'Rows to fix, numbered as in the draft below'
          }
          role="status"
        >
          <Table aria-label="Rows to fix">
            <Table.Tbody>
              {(rowErrors.length > 0 ? rowErrors : draft!.errors).slice(0, 50).map((e) => (
                <Table.Tr key={`${e.row}-${e.field}`}>
                  <Table.Td>Row {e.row}</Table.Td>
                  <Table.Td>{e.field}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      {draft && draft.rows.length > 0 && <DraftRows rows={draft.rows} />}
    </Stack>
  );
}
