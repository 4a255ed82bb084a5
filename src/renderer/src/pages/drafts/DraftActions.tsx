import { Button, FileButton, Group, Textarea } from '@mantine/core';
import { IconFileImport, IconSend, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { DraftAddResult, DraftSummary } from '../../../../shared/drafts';
import { FILE_INPUTS } from '../../../../shared/rpc';
import { uiLocale } from '../../components/quantity';
import { rpc } from '../../rpc/client';

const LIMIT = FILE_INPUTS['drafts.import'];

/**
 * What an open draft takes: a block pasted from a spreadsheet or a CSV/XLSX file (numbers read
 * in the UI's language), then Post batch; and Delete draft.
 */
export function DraftActions(props: {
  draft: DraftSummary;
  busy: boolean;
  run: (action: () => Promise<void>) => void;
  onAdded: (result: DraftAddResult) => void;
  onPost: () => void;
  onDelete: () => void;
}) {
  const { draft, busy, run } = props;
  const [pasted, setPasted] = useState('');
  return (
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
            run(async () => {
              props.onAdded(
                await rpc('drafts.paste', { draftId: draft.draftId, text: pasted, locale: uiLocale() }),
              );
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
            run(async () => {
              // Said at once, before the file is read or sent: the server would refuse it anyway.
              if (file.size > LIMIT.maxBytes)
                throw new Error(
                  `${file.name} is larger than ${LIMIT.words}: split it, then import the parts.`,
                );
              props.onAdded(
                await rpc('drafts.import', {
                  draftId: draft.draftId,
                  fileName: file.name,
                  content: new Uint8Array(await file.arrayBuffer()),
                  locale: uiLocale(),
                }),
              );
            })
          }
        >
          {(fileProps) => (
            <Button {...fileProps} variant="light" leftSection={<IconFileImport size={16} />} loading={busy}>
              Import CSV or XLSX
            </Button>
          )}
        </FileButton>
        <Button
          color="green"
          leftSection={<IconSend size={16} />}
          disabled={draft.rowCount === 0}
          loading={busy}
          onClick={props.onPost}
        >
          Post batch
        </Button>
        <Button
          variant="subtle"
          color="red"
          leftSection={<IconTrash size={16} />}
          disabled={busy}
          onClick={props.onDelete}
        >
          Delete draft
        </Button>
      </Group>
    </>
  );
}
