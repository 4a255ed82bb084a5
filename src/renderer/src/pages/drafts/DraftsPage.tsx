import { Alert, Button, Group, List, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { type DraftAddResult, type DraftRowView, localDateTime } from '../../../../shared/drafts';
import { rpcApproved, useManagerApproval } from '../../components/ApprovalModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { AskModal, type Question } from './AskModal';
import { DraftActions } from './DraftActions';
import { DraftRows, PAGE_ROWS } from './DraftRows';
import { RowEditModal, rowName } from './RowEditModal';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** "Row 4 of stock.csv", to start a sentence. */
const RowName = (r: DraftRowView) => rowName(r).replace(/^r/, 'R');

/**
 * Draft batches: paste a block from a spreadsheet or import a CSV/XLSX file, see each row by
 * the number its file shows with its problems, repair (edit or delete) rows, then Post batch:
 * all rows or none, after one question when a file was imported before or quantities are large.
 */
export function DraftsPage() {
  const drafts = useRpc('drafts.list', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [skip, setSkip] = useState(0);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<DraftRowView | null>(null);
  const [asking, setAsking] = useState<{ question: Question; answer: (yes: boolean) => void } | null>(null);
  const manager = useManagerApproval();
  const detail = useRpc(
    'drafts.get',
    selected ? { draftId: selected, top: PAGE_ROWS, skip, problemsOnly } : null,
  );

  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    setNotes([]);
    void action()
      .catch((e: unknown) => setFailure(e))
      .finally(() => {
        setBusy(false);
        drafts.reload();
        detail.reload();
      });
  };
  const ask = (question: Question) =>
    new Promise<boolean>((resolve) =>
      setAsking({
        question,
        answer: (yes) => {
          setAsking(null);
          resolve(yes);
        },
      }),
    );

  const select = (draftId: string | null) => {
    setSelected(draftId);
    setSkip(0);
    setNotice(null);
    setNotes([]);
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    run(async () => {
      const d = await rpc('drafts.create', { name });
      select(d.draftId);
      setName('');
    });
  };

  const added = (result: DraftAddResult) => {
    const problems =
      result.errors.length > 0 ? `; ${plural(result.errors.length, 'problem')} to fix before posting` : '';
    setNotice(`${result.added} rows added${problems}.`);
    setNotes(result.notes);
  };

  const post = (draftId: string) =>
    run(async () => {
      let confirm = { confirmLargeQuantity: false, confirmReimport: false };
      for (;;) {
        try {
          const input = { draftId, ...confirm };
          // Rows over the store's approval threshold: a manager's PIN or badge right here.
          const r = await manager.run((override) =>
            override ? rpcApproved('drafts.post', input, override) : rpc('drafts.post', input),
          );
          const already = r.alreadyPosted > 0 ? `, ${r.alreadyPosted} were already there` : '';
          return setNotice(`Posted: ${r.created} lines entered the ledger${already}.`);
        } catch (e) {
          if (!isRpcError(e) || e.code !== 'needs_confirmation') throw e;
          const fields = e.errors.map((q) => q.field);
          const reimport = fields.includes('confirmReimport');
          const yes = await ask({
            title: 'Post this batch?',
            messages: e.errors.map((q) => q.message),
            confirmLabel: reimport ? 'Post again as new lines' : 'Post them',
            safeDefaultIsNo: reimport,
          });
          if (!yes) return setNotice('Nothing was posted.');
          confirm = {
            confirmLargeQuantity: confirm.confirmLargeQuantity || fields.includes('confirmLargeQuantity'),
            confirmReimport: confirm.confirmReimport || reimport,
          };
        }
      }
    });

  const remove = (draftId: string, draftName: string, rows: number) =>
    run(async () => {
      const yes = await ask({
        title: 'Delete this draft?',
        messages: [
          `Draft '${draftName}' and its ${plural(rows, 'row')} are deleted; nothing of it was posted.`,
        ],
        confirmLabel: 'Delete draft',
        confirmColor: 'red',
        safeDefaultIsNo: true,
      });
      if (!yes) return;
      await rpc('drafts.delete', { draftId });
      select(null);
      setNotice(`Draft '${draftName}' deleted.`);
    });

  const removeBlock = (draftId: string, block: number, source: string) =>
    run(async () => {
      const yes = await ask({
        title: 'Remove from the draft?',
        messages: [`The rows of ${source} leave this draft; the draft's other rows stay.`],
        confirmLabel: `Remove ${source}`,
        confirmColor: 'red',
        safeDefaultIsNo: true,
      });
      if (!yes) return;
      await rpc('drafts.deleteBlock', { draftId, block });
      setSkip(0);
      setNotice(`${source} removed from the draft.`);
    });

  const draft = detail.data?.draftId === selected ? detail.data : undefined;
  const open = draft?.state === 'Open';
  return (
    <Stack gap="sm" maw={1000}>
      {manager.dialog}
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
              onClick={() => select(d.draftId)}
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
            {draft.cautionCount > 0 ? `, ${draft.cautionCount} to look at` : ''}
            {draft.state === 'Posted' ? `, posted ${localDateTime(draft.postedAt ?? '')}` : ''}
          </Text>
          {draft.imports.length > 0 && (
            <List size="sm" aria-label="Files and blocks">
              {draft.imports.map((i) => (
                <List.Item key={i.block}>
                  {i.sourceName}: {plural(i.rowCount, 'row')} read, added {localDateTime(i.importedAt)}
                  {i.earlier && (
                    <Text span size="sm" fw={700}>
                      {' '}
                      ·{' '}
                      <IconAlertTriangle size={14} aria-label="Caution" style={{ verticalAlign: 'middle' }} />{' '}
                      {i.earlier.said}
                    </Text>
                  )}
                  {open && (
                    <Button
                      ml="xs"
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${i.sourceName} from the draft`}
                      disabled={busy}
                      onClick={() => removeBlock(draft.draftId, i.block, i.sourceName)}
                    >
                      Remove
                    </Button>
                  )}
                </List.Item>
              ))}
            </List>
          )}
          {open && (
            <DraftActions
              draft={draft}
              busy={busy}
              run={run}
              onAdded={added}
              onPost={() => post(draft.draftId)}
              onDelete={() => remove(draft.draftId, draft.name, draft.rowCount)}
            />
          )}
        </Stack>
      )}
      {(notice || notes.length > 0) && (
        <Alert color="blue" role="status">
          {notice}
          {notes.map((n) => (
            <Text key={n} size="sm">
              {n}
            </Text>
          ))}
        </Alert>
      )}
      <ErrorAlert error={failure} title="Not done" />
      {(draft?.errors.length ?? 0) > 0 && (
        // No Alert title: its yellow words fail 4.5:1 contrast on the light theme.
        <Alert color="yellow" role="status">
          <Text fw={700}>Rows to fix, numbered as in their file or pasted block</Text>
          <Table aria-label="Rows to fix">
            <Table.Tbody>
              {draft!.errors.slice(0, 50).map((e) => (
                <Table.Tr key={`${e.block}-${e.row}-${e.field}`}>
                  <Table.Td>Row {e.row}</Table.Td>
                  <Table.Td>{e.source}</Table.Td>
                  <Table.Td>{e.field}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      {draft && (draft.rowCount > 0 || problemsOnly) && (
        <DraftRows
          rows={draft.rows}
          total={draft.rowsTotal}
          skip={skip}
          problemsOnly={problemsOnly}
          open={open}
          busy={busy}
          onPage={setSkip}
          onProblemsOnly={(only) => {
            setProblemsOnly(only);
            setSkip(0);
          }}
          onEdit={setEditing}
          onDelete={(r) =>
            run(async () => {
              await rpc('drafts.deleteRow', { draftId: draft.draftId, block: r.block, row: r.row });
              setNotice(`${RowName(r)} deleted.`);
            })
          }
        />
      )}
      {draft && (
        <RowEditModal
          draftId={draft.draftId}
          row={editing}
          onSaved={(r) => {
            setNotice(
              r.errors.length === 0
                ? `${RowName(r)} saved: ready to post.`
                : `${RowName(r)} saved: ${plural(r.errors.length, 'problem')} left.`,
            );
            drafts.reload();
            detail.reload();
          }}
          onClose={() => setEditing(null)}
        />
      )}
      <AskModal question={asking?.question ?? null} onAnswer={(yes) => asking?.answer(yes)} />
    </Stack>
  );
}
