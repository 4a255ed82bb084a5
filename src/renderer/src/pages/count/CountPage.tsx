import {
  Alert,
  Button,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { CountView } from '../../../../shared/counts';
import type { LookupResult } from '../../../../shared/master-data';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, formatNumber } from '../../components/format';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { ScanField } from '../scan/ScanField';

/**
 * Count mode: scan, type what is on the shelf, Enter. Each item shows counted, IV + pending and
 * the adjustment; Apply posts the adjustments. A recount of an item replaces its count.
 */
export function CountPage() {
  const settings = useRpc('settings.get', {});
  const [head, setHead] = useState({ reference: '', organizationId: '', siteId: '', locationId: '' });
  const [count, setCount] = useState<CountView | null>(null);
  const [code, setCode] = useState('');
  const [lookup, setLookup] = useState<LookupResult | null>(null);
  const [counted, setCounted] = useState<number | string>('');
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const codeField = useRef<HTMLInputElement>(null);
  const countedField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (head.organizationId === '' && settings.data?.defaultOrganizationId)
      setHead((h) => ({ ...h, organizationId: settings.data!.defaultOrganizationId! }));
  }, [head.organizationId, settings.data]);
  useEffect(() => {
    if (lookup) countedField.current?.focus();
  }, [lookup]);

  const act = async (action: () => Promise<void>) => {
    setFailure(null);
    try {
      await action();
    } catch (e) {
      setFailure(e);
    }
  };
  const start = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      setCount(await rpc('counts.create', head));
      setNotice(null);
      codeField.current?.focus();
    });
  };
  const find = (e: FormEvent) => {
    e.preventDefault();
    if (!count || code.trim() === '') return;
    void act(async () =>
      setLookup(await rpc('masterData.lookup', { organizationId: count.organizationId, code })),
    );
  };
  const record = (e: FormEvent) => {
    e.preventDefault();
    const n = typeof counted === 'number' ? counted : Number(counted);
    if (!count || !lookup || counted === '' || !Number.isFinite(n)) return;
    void act(async () => {
      setCount(
        await rpc('counts.record', {
          countId: count.countId,
          productId: lookup.found?.itemNumber ?? code.trim(),
          dimensions: lookup.found?.dimensions ?? {},
          counted: n,
        }),
      );
      setCode('');
      setCounted('');
      setLookup(null);
      codeField.current?.focus();
    });
  };
  // A block from a spreadsheet: recorded whole or not at all (counts/paste.ts says why).
  const recordPasted = () =>
    void act(async () => {
      if (!count) return;
      setCount(await rpc('counts.paste', { countId: count.countId, text: pasted }));
      setPasted('');
    });
  const apply = () =>
    void act(async () => {
      if (!count) return;
      const r = await rpc('counts.apply', { countId: count.countId });
      setCount(r.count);
      setNotice(
        `Applied: ${r.created} adjustment lines entered the ledger with reference ${r.count.reference}.`,
      );
    });

  return (
    <Stack gap="sm" maw={1000}>
      <Title order={2}>Count</Title>
      {!count || count.state === 'Applied' ? (
        <form onSubmit={start}>
          <Group align="flex-end" grow>
            <TextInput
              label="Count reference"
              value={head.reference}
              onChange={(e) => setHead({ ...head, reference: e.currentTarget.value })}
            />
            <TextInput
              label="Organization"
              value={head.organizationId}
              onChange={(e) => setHead({ ...head, organizationId: e.currentTarget.value })}
            />
            <TextInput
              label="Site"
              value={head.siteId}
              onChange={(e) => setHead({ ...head, siteId: e.currentTarget.value })}
            />
            <TextInput
              label="Warehouse"
              value={head.locationId}
              onChange={(e) => setHead({ ...head, locationId: e.currentTarget.value })}
            />
            <Button type="submit">Start count</Button>
          </Group>
        </form>
      ) : (
        <>
          <Text fw={600}>
            Count {count.reference} in {count.organizationId}, site {count.siteId}, warehouse{' '}
            {count.locationId} — a draft until applied
          </Text>
          <ScanField
            value={code}
            inputRef={codeField}
            onSubmit={find}
            onChange={(value) => {
              setCode(value);
              setLookup(null);
            }}
          />
          {lookup && (
            <Text aria-label="Item being counted">
              {lookup.found
                ? `${lookup.found.itemNumber} — ${lookup.found.name ?? '(no name in SCM)'}`
                : lookup.warnings.map((w) => w.message).join('; ')}
            </Text>
          )}
          <form onSubmit={record}>
            <Group align="flex-end">
              <NumberInput
                ref={countedField}
                label="On the shelf"
                value={counted}
                onChange={setCounted}
                min={0}
                disabled={!lookup}
              />
              <Button type="submit" disabled={!lookup}>
                Record count
              </Button>
            </Group>
          </form>
          <Textarea
            label="Paste counted items"
            description="Two columns from a spreadsheet, item and counted; a header row may add Colour, Size, Style"
            autosize
            minRows={2}
            maxRows={6}
            value={pasted}
            onChange={(e) => setPasted(e.currentTarget.value)}
          />
          <Button w="fit-content" variant="light" disabled={pasted.trim() === ''} onClick={recordPasted}>
            Record pasted counts
          </Button>
        </>
      )}
      <ErrorAlert error={failure} title="Not done" />
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {count && count.items.length > 0 && (
        <>
          <Table aria-label="Counted items" striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Counted</Table.Th>
                <Table.Th>IV + pending</Table.Th>
                <Table.Th>Adjustment</Table.Th>
                <Table.Th>Compared with</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {count.items.map((i) => (
                <Table.Tr key={`${i.productId}${JSON.stringify(i.dimensions)}`}>
                  <Table.Td>{[i.productId, ...Object.values(i.dimensions)].join(' ')}</Table.Td>
                  <Table.Td>{formatNumber(i.counted)}</Table.Td>
                  <Table.Td>
                    {formatNumber((i.iv ?? 0) + i.pending)} (
                    {i.iv === null ? 'IV not known' : `IV ${formatNumber(i.iv)}`}, pending{' '}
                    {formatNumber(i.pending)})
                  </Table.Td>
                  <Table.Td>{i.delta > 0 ? `+${formatNumber(i.delta)}` : formatNumber(i.delta)}</Table.Td>
                  <Table.Td>
                    {i.ivLive
                      ? 'IV now'
                      : `offline: IV as of ${i.ivAt ? formatDateTime(i.ivAt) : 'never asked'}`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {count.state === 'Open' && (
            <Button w="fit-content" color="green" onClick={apply}>
              Apply count
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
