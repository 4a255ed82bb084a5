import { Badge, Button, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { EntryWarning, LookupResult } from '../../../../shared/master-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { EntryCautions } from './EntryCautions';
import { MasterDataCard } from './MasterDataCard';
import { ScanField } from './ScanField';

interface Scanned {
  lineRecordId: string;
  itemNumber: string;
  name: string | null;
  quantity: number;
  warnings: EntryWarning[];
}

/**
 * Scan, see the item's name, type the quantity, Enter: one line per scan. Unknown codes are
 * warnings from the store's copy of SCM's item list, never a refusal (the copy can be stale).
 */
export function ScanPage() {
  const settings = useRpc('settings.get', {});
  const suggestions = useRpc('suggestions.get', {});
  const [org, setOrg] = useState('');
  const [site, setSite] = useState('');
  const [warehouse, setWarehouse] = useState('');
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState<number | string>('');
  const [lookup, setLookup] = useState<LookupResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [scanned, setScanned] = useState<Scanned[]>([]);
  const codeField = useRef<HTMLInputElement>(null);
  const quantityField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (org !== '' || !settings.data || !suggestions.data) return;
    setOrg(settings.data.defaultOrganizationId ?? suggestions.data.organizations[0] ?? '');
    setSite(suggestions.data.last?.siteId ?? '');
    setWarehouse(suggestions.data.last?.locationId ?? '');
  }, [org, settings.data, suggestions.data]);

  // After a scan the scanner's (or clerk's) next keys are the quantity; the field is enabled only now.
  useEffect(() => {
    if (lookup) quantityField.current?.focus();
  }, [lookup]);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    if (code.trim() === '' || org.trim() === '') return;
    setFailure(null);
    try {
      setLookup(await rpc('masterData.lookup', { organizationId: org, code }));
    } catch (error) {
      setFailure(error);
    }
  };

  const post = async (e: FormEvent) => {
    e.preventDefault();
    const qty = typeof quantity === 'number' ? quantity : Number(quantity);
    if (!lookup || !Number.isFinite(qty) || qty === 0) return;
    const itemNumber = lookup.found?.itemNumber ?? code.trim();
    setFailure(null);
    try {
      const answer = await rpc('lines.create', {
        line: {
          id: crypto.randomUUID(),
          organizationId: org,
          productId: itemNumber,
          quantityDataSource: suggestions.data?.dataSources[0] ?? '@iv',
          physicalMeasure: suggestions.data?.physicalMeasures[0] ?? 'adjustment',
          quantity: qty,
          dimensions: { siteId: site, locationId: warehouse, ...(lookup.found?.dimensions ?? {}) },
        },
      });
      setScanned((list) =>
        [
          {
            lineRecordId: answer.lineRecordId,
            itemNumber,
            name: lookup.found?.name ?? null,
            quantity: qty,
            warnings: answer.warnings,
          },
          ...list,
        ].slice(0, 50),
      );
      setCode('');
      setQuantity('');
      setLookup(null);
      codeField.current?.focus();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <Stack gap="sm" maw={900}>
      <Title order={2}>Scan</Title>
      <MasterDataCard />
      <Group grow>
        <TextInput label="Organization" value={org} onChange={(e) => setOrg(e.currentTarget.value)} />
        <TextInput label="Site" value={site} onChange={(e) => setSite(e.currentTarget.value)} />
        <TextInput
          label="Warehouse"
          value={warehouse}
          onChange={(e) => setWarehouse(e.currentTarget.value)}
        />
      </Group>
      <ScanField
        value={code}
        inputRef={codeField}
        onSubmit={(e) => void find(e)}
        onChange={(value) => {
          setCode(value);
          setLookup(null);
        }}
      />
      {lookup?.found && (
        <Group gap="xs" aria-label="Scanned item">
          <Text fw={600}>{lookup.found.itemNumber}</Text>
          <Text>{lookup.found.name ?? '(no name in SCM)'}</Text>
          {Object.entries(lookup.found.dimensions).map(([k, v]) => (
            <Badge key={k} variant="light">
              {k} {v}
            </Badge>
          ))}
        </Group>
      )}
      <EntryCautions warnings={lookup?.warnings ?? []} suffix=". You can still record it." />
      <form onSubmit={(e) => void post(e)}>
        <Group align="flex-end">
          <NumberInput
            ref={quantityField}
            label="Quantity (change, + or −)"
            value={quantity}
            onChange={setQuantity}
            disabled={!lookup}
            allowDecimal
          />
          <Button type="submit" disabled={!lookup}>
            Record
          </Button>
        </Group>
      </form>
      <ErrorAlert error={failure} title="Not recorded" />
      {scanned.length > 0 && (
        <Table aria-label="Recorded scans" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Item</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Quantity</Table.Th>
              <Table.Th>Cautions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scanned.map((s) => (
              <Table.Tr key={s.lineRecordId}>
                <Table.Td>{s.itemNumber}</Table.Td>
                <Table.Td>{s.name ?? '—'}</Table.Td>
                <Table.Td>{s.quantity}</Table.Td>
                <Table.Td>{s.warnings.map((w) => w.message).join('; ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
