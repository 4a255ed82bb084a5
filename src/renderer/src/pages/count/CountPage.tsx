import { Alert, Button, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import type { CountApplyResult, CountView, CountWaiting } from '../../../../shared/counts';
import type { LookupResult } from '../../../../shared/master-data';
import { rpcApproved, useManagerApproval } from '../../components/ApprovalModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { QuantityField, readNumber } from '../../components/quantity';
import { useSerialQueue } from '../../components/serial-queue';
import { rpc } from '../../rpc/client';
import { errorMessage, isRpcError } from '../../rpc/errors';
import { useSession } from '../../state/session-context';
import { ScanField } from '../scan/ScanField';
import { LargeDifferenceDialog, WaitingForIvDialog } from './ApplyDialogs';
import { CountItems } from './CountItems';
import { CountStart } from './CountStart';

/** The item whose shelf count is being typed: the code as scanned, and what the lookup said once it answers. */
interface Counting {
  code: string;
  lookup: LookupResult | null;
}

/** A record the server refused after the screen had moved on: said in words, to scan again. */
interface NotCounted {
  code: string;
  counted: string;
  message: string;
}

/**
 * Count mode, keyboard and scanner first: scan, type what is on the shelf, Enter. Enter moves the
 * focus at once (to "On the shelf" after a scan, back to the scanner after a count) and records
 * are queued, so keys that arrive while a lookup or a record is in flight land where the clerk
 * meant them. Apply compares with the on-hand then; while IV does not answer, a dialog lists the
 * items and lets a manager choose IV's last known figure per item.
 */
export function CountPage() {
  const [count, setCount] = useState<CountView | null>(null);
  const [code, setCode] = useState('');
  const [counting, setCounting] = useState<Counting | null>(null);
  const [counted, setCounted] = useState('');
  const [countedError, setCountedError] = useState<string | null>(null);
  const [notCounted, setNotCounted] = useState<NotCounted[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const [waiting, setWaiting] = useState<CountWaiting[] | null>(null);
  /** Each refusal opens a fresh dialog: a choice of last known figures is never carried over. */
  const [refusals, setRefusals] = useState(0);
  // A clerk counts; applying is a manager's: said beside the button, and main refuses it anyway.
  const cannotApply = useSession().whyNot('counts.apply');
  const manager = useManagerApproval();
  const [question, setQuestion] = useState<{ text: string; useLastKnown: number[] } | null>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const countedField = useRef<HTMLInputElement>(null);
  const records = useSerialQueue();

  const act = async (action: () => Promise<void>) => {
    setFailure(null);
    try {
      await action();
    } catch (e) {
      setFailure(e);
    }
  };

  // Enter in the scanner: the focus moves before anything is awaited; the lookup only adds the name.
  const scanned = (e: FormEvent) => {
    e.preventDefault();
    const scan = code.trim();
    if (!count || scan === '') return;
    setCounting({ code: scan, lookup: null });
    setCode('');
    setCounted('');
    setCountedError(null);
    countedField.current?.focus();
    rpc('masterData.lookup', { organizationId: count.organizationId, code: scan }).then(
      (lookup) => setCounting((c) => (c?.code === scan && c.lookup === null ? { ...c, lookup } : c)),
      () => undefined,
    );
  };

  // Enter in "On the shelf": read in the UI's language, refused in words while it is not a count
  // (a scan, a minus); otherwise queued, and the scanner is ready for the next item at once.
  const countIt = (e: FormEvent) => {
    e.preventDefault();
    if (!count) return;
    const fail = (message: string) => {
      setCountedError(message);
      countedField.current?.select();
    };
    if (!counting) return fail('Scan an item first, then type what is on the shelf');
    const read = readNumber(counted);
    if (!read.ok) return fail(`On the shelf ${read.message}`);
    if (read.value < 0) return fail('On the shelf must be zero or more (what is on the shelf)');
    const job = { countId: count.countId, code: counting.code, counted: read.value, text: counted };
    setCounting(null);
    setCounted('');
    setCountedError(null);
    codeField.current?.focus();
    records.enqueue(async () => {
      try {
        setCount(
          await rpc('counts.record', { countId: job.countId, productId: job.code, counted: job.counted }),
        );
        setNotCounted((list) => list.filter((n) => n.code !== job.code));
      } catch (error) {
        const message =
          isRpcError(error) && error.errors.length > 0 ? fieldWords(error.errors) : errorMessage(error);
        setNotCounted((list) => [
          ...list.filter((n) => n.code !== job.code),
          { code: job.code, counted: job.text, message },
        ]);
      }
    });
  };

  // A block from a spreadsheet: recorded whole or not at all (counts/paste.ts says why).
  const recordPasted = () =>
    void act(async () => {
      if (!count) return;
      setCount(await rpc('counts.paste', { countId: count.countId, text: pasted }));
      setPasted('');
    });

  const removeItem = (item: number) =>
    void act(async () => {
      if (!count) return;
      setCount(await rpc('counts.removeItem', { countId: count.countId, item }));
      setWaiting((w) => (w ? w.filter((i) => i.item !== item) : w));
    });

  const apply = (useLastKnown: number[] = [], confirmedLargeQuantity = false) =>
    void act(async () => {
      if (!count) return;
      setWaiting(null);
      let r: CountApplyResult;
      try {
        const input = { countId: count.countId, useLastKnown, confirmedLargeQuantity };
        // A clerk's Apply asks for a manager's PIN or badge right here (main checks it).
        r = await manager.run((override) =>
          override ? rpcApproved('counts.apply', input, override) : rpc('counts.apply', input),
        );
      } catch (error) {
        if (!isRpcError(error) || error.code !== 'needs_confirmation') throw error;
        setQuestion({ text: error.errors.map((e) => e.message).join(' ') || error.message, useLastKnown });
        return;
      }
      setCount(r.count);
      if (!r.applied) {
        setRefusals((n) => n + 1);
        return setWaiting(r.waiting);
      }
      setNotice(
        r.created === 0 && r.unchanged === 0
          ? `Applied: every shelf matched, nothing to adjust (reference ${r.count.reference}).`
          : `Applied: ${r.created} adjustment ${r.created === 1 ? 'line' : 'lines'} entered the ledger with reference ${r.count.reference}.`,
      );
    });

  const open = count?.state === 'Open';
  return (
    <Stack gap="sm" maw={1000}>
      {manager.dialog}
      <Title order={2}>Count</Title>
      {count?.state !== 'Open' ? (
        <CountStart
          onStarted={(c) => {
            setCount(c);
            setNotice(null);
            setNotCounted([]);
            setTimeout(() => codeField.current?.focus());
          }}
        />
      ) : (
        <>
          <Text fw={600}>
            Count {count.reference} in {count.organizationId}, site {count.siteId}, warehouse{' '}
            {count.locationId} — a draft until applied
          </Text>
          <ScanField value={code} inputRef={codeField} onSubmit={scanned} onChange={setCode} />
          <Text aria-label="Item being counted" aria-live="polite" size="sm">
            {counting
              ? counting.lookup?.found
                ? `Counting ${counting.lookup.found.itemNumber}${variantWords(counting.lookup.found.dimensions)} — ${counting.lookup.found.name ?? '(no name in SCM)'}`
                : `Counting ${counting.code}${counting.lookup ? ` — ${counting.lookup.warnings.map((w) => w.message).join('; ')}` : ''}`
              : 'Scan an item, then type what is on the shelf.'}
          </Text>
          <form onSubmit={countIt} noValidate>
            <Group align="flex-start">
              <QuantityField
                inputRef={countedField}
                label="On the shelf"
                value={counted}
                onChange={(value) => {
                  setCounted(value);
                  setCountedError(null);
                }}
                error={countedError}
                description="What is there now, 0 or more"
              />
              {/* Never disabled while recording: a disabled submit button drops the next Enter. */}
              <Button type="submit" mt={24} aria-busy={records.busy}>
                Record count
              </Button>
            </Group>
          </form>
          {notCounted.length > 0 && (
            <Alert color="red" title="Not counted: scan these again" role="alert">
              {notCounted.map((n) => (
                <Text key={n.code} size="sm">
                  {n.code} ({n.counted}): {n.message}
                </Text>
              ))}
            </Alert>
          )}
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
          <CountItems count={count} onRemove={removeItem} />
          {open && (
            <Group gap="sm">
              <Button color="green" onClick={() => apply()} disabled={cannotApply !== null}>
                Apply count
              </Button>
              {cannotApply && (
                <Button variant="default" onClick={() => apply()}>
                  Apply with a manager’s approval…
                </Button>
              )}
              {cannotApply && (
                <Text size="sm" data-testid="role-needed">
                  {cannotApply}
                </Text>
              )}
            </Group>
          )}
        </>
      )}
      <WaitingForIvDialog
        key={refusals}
        waiting={waiting}
        onApply={(chosen) => apply(chosen)}
        onRemove={removeItem}
        onClose={() => setWaiting(null)}
      />
      <LargeDifferenceDialog
        question={question?.text ?? null}
        onYes={() => {
          const chosen = question?.useLastKnown ?? [];
          setQuestion(null);
          apply(chosen, true);
        }}
        onNo={() => setQuestion(null)}
      />
    </Stack>
  );
}

const variantWords = (dimensions: Record<string, string>) => {
  const values = Object.values(dimensions);
  return values.length > 0 ? ` ${values.join(' ')}` : '';
};

/** "On the shelf must be …", "Item must not …": the server's fields in the page's words. */
function fieldWords(errors: { field: string; message: string }[]): string {
  const names: Record<string, string> = { counted: 'On the shelf', productId: 'Item' };
  return errors
    .map(
      (e) =>
        `${names[e.field] ?? (e.field.startsWith('dimensions.') ? e.field.slice(11) : e.field)} ${e.message}`,
    )
    .join('; ');
}
