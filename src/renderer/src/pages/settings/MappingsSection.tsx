import { Button, Fieldset, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { type Mapping, mappingKey } from '../../../../shared/mappings';
import { TARGET_TRANSACTION_TYPE_LABELS } from '../../../../shared/status';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { errorMessage } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';
import { MappingModal } from './MappingModal';

/** *Fno integration mappings*: a toolbar to add, edit or delete; a row is picked by clicking it. */
export function MappingsSection() {
  const list = useRpc('mappings.list', {});
  const [rows, setRows] = useState<Mapping[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Mapping | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Mapping | null>(null);
  const mappings = rows ?? list.data ?? [];
  const current = mappings.find((m) => mappingKey(m.physicalMeasure) === selected) ?? null;
  const why = useSession().whyNot('mappings.upsert');

  const remove = async (m: Mapping) => {
    try {
      setRows(await rpc('mappings.delete', { physicalMeasure: m.physicalMeasure }));
      setSelected(null);
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not deleted', message: errorMessage(e) });
    } finally {
      setDeleting(null);
    }
  };

  return (
    <Fieldset legend="Fno integration mappings">
      <Stack>
        <Text size="sm" c="dimmed">
          How lines of each physical measure reach SCM. A measure with no row is not sent (its aggregated
          lines become DoNotSync, saying why).
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setEditing('new')}
            disabled={why !== null}
          >
            Add
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconEdit size={14} />}
            disabled={!current || why !== null}
            onClick={() => current && setEditing(current)}
          >
            Edit
          </Button>
          <Button
            size="xs"
            variant="default"
            color="red"
            leftSection={<IconTrash size={14} />}
            disabled={!current || why !== null}
            onClick={() => current && setDeleting(current)}
          >
            Delete
          </Button>
          {why && (
            <Text size="xs" c="dimmed">
              {why}
            </Text>
          )}
        </Group>
        <ErrorAlert error={list.error} title="Could not load the mappings" />
        <DataTable<Mapping>
          withTableBorder
          borderRadius="sm"
          highlightOnHover
          minHeight={120}
          idAccessor={(m) => mappingKey(m.physicalMeasure)}
          records={mappings}
          fetching={list.loading && !list.data}
          noRecordsText="No mappings: nothing is sent to SCM"
          onRowClick={({ record }) => setSelected(mappingKey(record.physicalMeasure))}
          onRowDoubleClick={({ record }) => why === null && setEditing(record)}
          rowClassName={(m) => (mappingKey(m.physicalMeasure) === selected ? 'row-selected' : undefined)}
          customRowAttributes={(m) => ({ 'aria-selected': mappingKey(m.physicalMeasure) === selected })}
          columns={[
            { accessor: 'physicalMeasure', title: 'Physical measure name' },
            {
              accessor: 'targetTransactionType',
              title: 'Target Fno transaction type',
              render: (m) => TARGET_TRANSACTION_TYPE_LABELS[m.targetTransactionType],
            },
            { accessor: 'targetTransactionStatus', title: 'Target FnO Transaction Status' },
          ]}
          aria-label="Fno integration mappings"
        />
      </Stack>
      <MappingModal
        editing={editing}
        existing={mappings}
        onClose={() => setEditing(null)}
        onSaved={setRows}
      />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete mapping?">
        <Stack>
          <Text size="sm">
            Lines measured <b>{deleting?.physicalMeasure}</b> will no longer be sent to SCM.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => deleting && void remove(deleting)}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Fieldset>
  );
}
