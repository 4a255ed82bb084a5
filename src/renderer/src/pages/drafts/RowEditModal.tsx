import { Button, Group, Kbd, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import type { DraftRowView, RowProblem } from '../../../../shared/drafts';
import { ErrorAlert } from '../../components/ErrorAlert';
import { QuantityField, uiLocale } from '../../components/quantity';
import { rpc } from '../../rpc/client';

/** The fields a clerk repairs in a draft row, named as a header row names them. */
const FIELDS = [
  { key: 'productId', label: 'Item', get: (l: Line) => l.productId },
  { key: 'quantity', label: 'Quantity', get: (l: Line) => l.quantity },
  { key: 'siteId', label: 'Site', get: (l: Line) => dims(l).siteId },
  { key: 'locationId', label: 'Warehouse', get: (l: Line) => dims(l).locationId },
  { key: 'organizationId', label: 'Organization', get: (l: Line) => l.organizationId },
  { key: 'externalReferenceId', label: 'Reference', get: (l: Line) => l.externalReferenceId },
  { key: 'transDate', label: 'Date (YYYY-MM-DD)', get: (l: Line) => l.transDate },
  // Blank: the row posts under an id derived from its file and row.
  { key: 'id', label: 'Line id (blank: from the file)', get: (l: Line) => l.id },
] as const;
type Line = Record<string, unknown>;
const dims = (l: Line) => (l.dimensions ?? {}) as Record<string, unknown>;
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
/** A problem's field as the form names it: `dimensions.siteId` is the Site field. */
const fieldKey = (p: RowProblem) => p.field.replace(/^dimensions\./, '');

export const rowName = (r: Pick<DraftRowView, 'row' | 'source'>) => `row ${r.row} of ${r.source}`;

/**
 * One draft row's fields, to repair: saved, the row is judged again by the entry pipeline and
 * its problems shown here until none is left. Enter saves, Escape closes; the focus starts in
 * the first field with an error.
 */
export function RowEditModal(props: {
  draftId: string;
  row: DraftRowView | null;
  onSaved: (row: DraftRowView) => void;
  onClose: () => void;
}) {
  const [row, setRow] = useState<DraftRowView | null>(props.row);
  const [values, setValues] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setRow(props.row);
    setFailure(null);
    setValues(props.row ? Object.fromEntries(FIELDS.map((f) => [f.key, text(f.get(props.row!.line))])) : {});
  }, [props.row]);

  const first = row?.errors[0] ? fieldKey(row.errors[0]) : 'quantity';
  const problems = (key: string, list: RowProblem[] | undefined) =>
    (list ?? []).filter((p) => fieldKey(p) === key).map((p) => p.message);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!row) return;
    // Only what the clerk changed: a field left alone keeps what its cell said.
    const changed = Object.fromEntries(
      FIELDS.filter((f) => values[f.key] !== text(f.get(row.line))).map((f) => [f.key, values[f.key] ?? '']),
    );
    if (Object.keys(changed).length === 0) return props.onClose();
    setBusy(true);
    setFailure(null);
    try {
      const result = await rpc('drafts.editRow', {
        draftId: props.draftId,
        block: row.block,
        row: row.row,
        values: changed,
        locale: uiLocale(),
      });
      props.onSaved(result.row!);
      if (result.row!.errors.length === 0) props.onClose();
      else {
        setRow(result.row);
        setValues(Object.fromEntries(FIELDS.map((f) => [f.key, text(f.get(result.row!.line))])));
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const other = (row?.errors ?? []).filter((p) => !FIELDS.some((f) => f.key === fieldKey(p)));
  return (
    <Modal
      opened={props.row !== null}
      onClose={props.onClose}
      title={row ? `Edit ${rowName(row)}` : ''}
      size="lg"
    >
      <form onSubmit={save}>
        <Stack>
          <SimpleGrid cols={2}>
            {FIELDS.map((f) => {
              const common = {
                label: f.label,
                error: problems(f.key, row?.errors).join('; ') || undefined,
                description: problems(f.key, row?.cautions).join('; ') || undefined,
                'data-autofocus': f.key === first || undefined,
              };
              return f.key === 'quantity' ? (
                <QuantityField
                  key={f.key}
                  {...common}
                  value={values[f.key] ?? ''}
                  onChange={(v) => setValues((s) => ({ ...s, [f.key]: v }))}
                />
              ) : (
                <TextInput
                  key={f.key}
                  {...common}
                  value={values[f.key] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setValues((s) => ({ ...s, [f.key]: v }));
                  }}
                />
              );
            })}
          </SimpleGrid>
          {other.length > 0 && (
            <Text size="sm" c="var(--mantine-color-error)" role="alert">
              {other.map((p) => `${p.field} ${p.message}`).join('; ')}
            </Text>
          )}
          <ErrorAlert error={failure} title="Not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Close <Kbd ml={6}>Esc</Kbd>
            </Button>
            <Button type="submit" loading={busy}>
              Save row <Kbd ml={6}>Enter</Kbd>
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
