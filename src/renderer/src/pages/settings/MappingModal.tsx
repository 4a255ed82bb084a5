import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { fieldErrors } from '../../../../shared/adjustment';
import { type Mapping, mappingKey, mappingSchema } from '../../../../shared/mappings';
import {
  TARGET_TRANSACTION_STATUSES,
  TARGET_TRANSACTION_TYPE_LABELS,
  TARGET_TRANSACTION_TYPES,
  type TargetTransactionStatus,
} from '../../../../shared/status';
import { TARGET_STATUS_WORDS } from '../../../../shared/status-words';
import { ErrorAlert } from '../../components/ErrorAlert';
import { enterSubmitsForm } from '../../components/enter-submits';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';

const STATUS_HELP = Object.fromEntries(
  Object.entries(TARGET_STATUS_WORDS).map(([status, words]) => [status, `${status}: ${words}`]),
) as Record<TargetTransactionStatus, string>;

type Errors = Partial<Record<keyof Mapping | 'form', string>>;

/** Add or edit one row of *Fno integration mappings*, validated by the contract's schema. */
export function MappingModal(props: {
  editing: Mapping | 'new' | null;
  /** The rows as shown, to refuse a second row for a measure before asking main (which checks too). */
  existing: Mapping[];
  onClose: () => void;
  onSaved: (mappings: Mapping[]) => void;
}) {
  const { editing, existing, onClose, onSaved } = props;
  const [measure, setMeasure] = useState('');
  const [status, setStatus] = useState<TargetTransactionStatus>('Posted');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!editing) return;
    setMeasure(editing === 'new' ? '' : editing.physicalMeasure);
    setStatus(editing === 'new' ? 'Posted' : editing.targetTransactionStatus);
    setErrors({});
    setFailure(null);
  }, [editing]);

  const save = async () => {
    const input = {
      physicalMeasure: measure,
      targetTransactionType: 'InventoryAdjustmentJournal',
      targetTransactionStatus: status,
    };
    const parsed = mappingSchema.safeParse(input);
    if (!parsed.success) {
      const out: Errors = {};
      for (const e of fieldErrors(parsed.error)) out[e.field as keyof Mapping] ??= e.message;
      return setErrors(out);
    }
    const key = mappingKey(parsed.data.physicalMeasure);
    const original = editing !== 'new' && editing ? mappingKey(editing.physicalMeasure) : null;
    if (key !== original && existing.some((m) => mappingKey(m.physicalMeasure) === key)) {
      return setErrors({ physicalMeasure: `'${parsed.data.physicalMeasure}' already has a mapping row` });
    }
    setBusy(true);
    try {
      const mappings = await rpc('mappings.upsert', {
        mapping: parsed.data,
        ...(editing !== 'new' && editing ? { originalPhysicalMeasure: editing.physicalMeasure } : {}),
      });
      onSaved(mappings);
      onClose();
    } catch (e) {
      const byField = isRpcError(e) ? e.byField('mapping') : {};
      if (Object.keys(byField).length > 0) setErrors(byField as Errors);
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={editing !== null}
      onClose={onClose}
      title={editing === 'new' ? 'Add mapping' : 'Edit mapping'}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack onKeyDownCapture={enterSubmitsForm}>
          <TextInput
            label="Physical measure name"
            description="IV physical measure, e.g. adjustment; matched whatever the case or data source"
            value={measure}
            onChange={(e) => {
              setMeasure(e.currentTarget.value);
              setErrors((er) => ({ ...er, physicalMeasure: undefined }));
            }}
            error={errors.physicalMeasure}
            data-autofocus
            withAsterisk
          />
          <Select
            label="Target Fno transaction type"
            description="What SCM creates from these lines"
            data={TARGET_TRANSACTION_TYPES.map((t) => ({
              value: t,
              label: TARGET_TRANSACTION_TYPE_LABELS[t],
            }))}
            value="InventoryAdjustmentJournal"
            allowDeselect={false}
            error={errors.targetTransactionType}
          />
          <Select
            label="Target FnO Transaction Status"
            description={STATUS_HELP[status]}
            data={TARGET_TRANSACTION_STATUSES.map((s) => ({ value: s, label: s }))}
            value={status}
            onChange={(v) => v && setStatus(v as TargetTransactionStatus)}
            allowDeselect={false}
            error={errors.targetTransactionStatus}
            withAsterisk
          />
          <ErrorAlert error={failure} title="Not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
