import { ActionIcon, Autocomplete, Button, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { BASE_DIMENSIONS, isBaseDimension, isScmDimension } from '../../../../shared/dimensions';
import { type ExtraDimension, FORM_DIMENSIONS, type FormErrors } from './form-model';

let nextRowId = 1;
export function newDimensionRow(name = ''): ExtraDimension {
  return { rowId: nextRowId++, name, value: '' };
}

const CHOICES = BASE_DIMENSIONS.filter((d) => !(FORM_DIMENSIONS as readonly string[]).includes(d));

function kindOf(name: string): string {
  if (name.trim() === '') return '';
  if (!isBaseDimension(name)) return 'External dimension: kept in IV, never sent to SCM';
  return isScmDimension(name) ? 'Base dimension, sent to SCM' : 'Base dimension, IV only';
}

/** *Edit dimensions*: any other base dimension, or an external one under a name of the store's choosing. */
export function DimensionsEditor(props: {
  rows: ExtraDimension[];
  errors: FormErrors;
  onChange: (rows: ExtraDimension[]) => void;
}) {
  const { rows, errors, onChange } = props;
  const update = (rowId: number, patch: Partial<ExtraDimension>) =>
    onChange(rows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
  const used = new Set(rows.map((r) => r.name.toLowerCase()));
  return (
    <Fieldset legend="Other dimensions" variant="filled">
      <Stack gap="xs">
        {rows.length === 0 && (
          <Text size="sm" c="dimmed">
            No other dimensions. Add a base dimension (batch, serial, status…) or an external one.
          </Text>
        )}
        {rows.map((row, i) => (
          <Group key={row.rowId} align="flex-start" wrap="nowrap">
            <Autocomplete
              label={i === 0 ? 'Dimension name' : undefined}
              aria-label="Dimension name"
              placeholder="batchId, or a name of your own"
              data={CHOICES.filter((c) => c === row.name || !used.has(c.toLowerCase()))}
              value={row.name}
              onChange={(name) => update(row.rowId, { name })}
              description={kindOf(row.name) || undefined}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              error={errors[`extra:${row.rowId}`]}
              style={{ flex: 1 }}
              autoFocus={row.name === '' && i === rows.length - 1}
            />
            <TextInput
              label={i === 0 ? 'Value' : undefined}
              aria-label={`Value of ${row.name || 'dimension'}`}
              value={row.value}
              onChange={(e) => update(row.rowId, { value: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={i === 0 ? 26 : 4}
              aria-label={`Remove ${row.name || 'dimension'}`}
              onClick={() => onChange(rows.filter((r) => r.rowId !== row.rowId))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...rows, newDimensionRow()])}
          >
            Add dimension
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
