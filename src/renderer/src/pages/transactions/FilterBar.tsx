import { Button, Group, MultiSelect, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { emptyFilters, type GridFilters } from './filters';

/** Text boxes apply after a short pause, so typing a product number does not fire a query per key. */
function DebouncedText(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  width?: number;
}) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  const apply = useDebouncedCallback(props.onChange, 300);
  return (
    <TextInput
      label={props.label}
      value={text}
      w={props.width ?? 130}
      onChange={(e) => {
        setText(e.currentTarget.value);
        apply(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') props.onChange(text);
      }}
    />
  );
}

export function FilterBar<S extends string>(props: {
  statuses: readonly S[];
  referenceLabel: string;
  filters: GridFilters<S>;
  onChange: (filters: GridFilters<S>) => void;
}) {
  const { statuses, referenceLabel, filters, onChange } = props;
  const set = <K extends keyof GridFilters<S>>(key: K, value: GridFilters<S>[K]) =>
    onChange({ ...filters, [key]: value });
  return (
    <Group align="flex-end" gap="sm" wrap="wrap" style={{ flex: '1 1 560px' }}>
      <MultiSelect
        label="Status"
        placeholder={filters.status.length ? undefined : 'Any'}
        data={[...statuses]}
        value={filters.status}
        onChange={(v) => set('status', v as S[])}
        clearable
        // A clerk types "vo" for Voided rather than arrowing through the list.
        searchable
        w={200}
        comboboxProps={{ withinPortal: true }}
      />
      <DebouncedText label="Product" value={filters.productId} onChange={(v) => set('productId', v)} />
      <DebouncedText label="Site" value={filters.siteId} onChange={(v) => set('siteId', v)} width={90} />
      <DebouncedText
        label="Warehouse"
        value={filters.locationId}
        onChange={(v) => set('locationId', v)}
        width={100}
      />
      <DebouncedText
        label={referenceLabel}
        value={filters.reference}
        onChange={(v) => set('reference', v)}
        width={170}
      />
      <DatePickerInput
        type="range"
        label="Created"
        placeholder="Any date"
        value={filters.dates}
        onChange={(v) => set('dates', v as [string | null, string | null])}
        clearable
        allowSingleDateInRange
        w={250}
        valueFormat="YYYY-MM-DD"
      />
      <Button
        variant="subtle"
        color="gray"
        leftSection={<IconFilterOff size={16} />}
        onClick={() => onChange(emptyFilters<S>())}
      >
        Clear filters
      </Button>
    </Group>
  );
}
