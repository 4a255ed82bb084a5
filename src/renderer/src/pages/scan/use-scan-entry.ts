import { useCallback, useRef, useState } from 'react';
import { type AdjustmentLineInput, adjustmentLineSchema, fieldErrors } from '../../../../shared/adjustment';
import type { LookupResult } from '../../../../shared/master-data';
import { isLargeQuantity } from '../../../../shared/quantity-check';
import type { EnteredLine } from '../../../../shared/views';
import { type Override, rpcApproved } from '../../components/ApprovalModal';
import { readQuantity } from '../../components/quantity';
import { useSerialQueue } from '../../components/serial-queue';
import { rpc } from '../../rpc/client';
import { errorMessage, isRpcError } from '../../rpc/errors';
import type { Place } from './PlaceFields';

/** One scan on its way to the ledger, as the Recorded scans list shows it. */
export interface ScanRow {
  /** The scan's number on this page: "Scan 3" in words. */
  key: number;
  /** The code as scanned or typed (a barcode stays a barcode here; `entered` says what it became). */
  code: string;
  quantity: number;
  siteId: string;
  locationId: string;
  /** `held`: in the approval list; `approval`: waiting for a manager's PIN here. */
  state: 'sending' | 'asking' | 'recorded' | 'failed' | 'held' | 'approval';
  entered: EnteredLine | null;
  /** Why it was not recorded, in words. */
  failure: string | null;
}

/** A sent line that needs a manager: their PIN or badge now, or the approval list. */
export interface ScanApproval {
  key: number;
  line: AdjustmentLineInput;
  code: string;
  confirmed: boolean;
  why: string;
}

/** A large quantity waiting for the clerk's yes; `key` null while the line is still in the fields. */
export interface ScanQuestion {
  key: number | null;
  line: AdjustmentLineInput;
  code: string;
  /** The pipeline's words when it asked after the line was sent. */
  asked: string | null;
}

export type ScanErrors = Partial<
  Record<'organizationId' | 'siteId' | 'locationId' | 'code' | 'quantity', string>
>;

/** The API's field names as the clerk knows them. */
const FIELD_WORDS: Record<string, string> = {
  quantity: 'quantity',
  productId: 'item',
  'dimensions.siteId': 'site',
  'dimensions.locationId': 'warehouse',
  organizationId: 'organization',
};

/** Why a scan was not recorded, in words: the pipeline's field errors, or its message. */
function failureWords(error: unknown): string {
  if (isRpcError(error) && error.errors.length > 0)
    return error.errors
      .map((e) => `${FIELD_WORDS[e.field.replace(/^line\./, '')] ?? e.field} ${e.message}`)
      .join('; ');
  return errorMessage(error);
}

const FIELD_OF: Record<string, keyof ScanErrors> = {
  organizationId: 'organizationId',
  productId: 'code',
  quantity: 'quantity',
  'dimensions.siteId': 'siteId',
  'dimensions.locationId': 'locationId',
};

/**
 * Scan's entry, keyboard first and never waiting: Enter on a code moves to Quantity at once
 * while the item is looked up (the answer only updates the display of the scan it belongs to);
 * Enter on a quantity queues the line and clears the fields for the next scan before any answer.
 * What the scanner types meanwhile lands in the next scan's fields, never in the one in flight.
 */
export function useScanEntry(options: {
  place: Place | null;
  threshold: number;
  dataSource: string;
  measure: string;
  /** The reason every scan is recorded with ('' for none). */
  reasonCode: string;
  /** Moves the focus; called synchronously, before the next keystroke can arrive. */
  focus: (field: 'code' | 'quantity' | 'organizationId' | 'siteId' | 'locationId') => void;
}) {
  const { place, threshold, focus } = options;
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [errors, setErrors] = useState<ScanErrors>({});
  /** The scan the Quantity field belongs to. */
  const [current, setCurrent] = useState<{ key: number; code: string } | null>(null);
  const [lookups, setLookups] = useState<Record<number, LookupResult>>({});
  const [rows, setRows] = useState<ScanRow[]>([]);
  const [questions, setQuestions] = useState<ScanQuestion[]>([]);
  const [approvals, setApprovals] = useState<ScanApproval[]>([]);
  const seq = useRef(0);
  const { enqueue } = useSerialQueue();

  const updateRow = useCallback((key: number, patch: Partial<ScanRow>) => {
    setRows((list) => list.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  }, []);

  /** Enter on the code: on to Quantity now; the name and variant follow when the copy answers. */
  const scan = () => {
    const text = code.trim();
    if (text === '' || !place) return;
    const key = ++seq.current;
    setCurrent({ key, code: text });
    // The code moves to the scanned item's line below: a scan into this field later starts afresh
    // instead of being appended to it ("T0001M0001").
    setCode('');
    setErrors({});
    setQuantity('');
    focus('quantity');
    const org = place.organizationId.trim();
    if (org === '') return;
    rpc('masterData.lookup', { organizationId: org, code: text }).then(
      (found) => setLookups((m) => ({ ...m, [key]: found })),
      // The name is a help, never a condition: the line is judged when it is recorded.
      () => undefined,
    );
  };

  const send = (
    key: number,
    line: AdjustmentLineInput,
    code: string,
    confirmed: boolean,
    approval: { override?: Override; park?: boolean } = {},
  ) =>
    enqueue(async () => {
      try {
        const input = {
          line,
          screen: 'scan' as const,
          confirmedLargeQuantity: confirmed,
          park: approval.park ?? false,
        };
        const entered = approval.override
          ? await rpcApproved('lines.create', input, approval.override)
          : await rpc('lines.create', input);
        if ('held' in entered)
          updateRow(key, { state: 'held', failure: `waiting for a manager’s approval: ${entered.why}` });
        else updateRow(key, { state: 'recorded', entered });
      } catch (error) {
        if (isRpcError(error) && error.code === 'needs_confirmation') {
          updateRow(key, { state: 'asking' });
          const asked = error.errors[0]?.message ?? error.message;
          setQuestions((q) => [...q, { key, line, code, asked }]);
          return;
        }
        if (isRpcError(error) && error.code === 'needs_approval') {
          updateRow(key, { state: 'approval' });
          const why = error.errors.map((e) => e.message).join('; ') || error.message;
          setApprovals((list) => [...list, { key, line, code, confirmed, why }]);
          return;
        }
        if (approval.override) {
          updateRow(key, { state: 'approval' });
          throw error;
        }
        updateRow(key, { state: 'failed', failure: failureWords(error) });
      }
    });

  /** The line leaves the fields: listed, queued, and the fields cleared for the next scan. */
  const commit = (line: AdjustmentLineInput, scanned: { key: number; code: string }, confirmed: boolean) => {
    const dims = line.dimensions as Record<string, string>;
    const row: ScanRow = {
      key: scanned.key,
      code: scanned.code,
      quantity: line.quantity as number,
      siteId: dims.siteId ?? '',
      locationId: dims.locationId ?? '',
      state: 'sending',
      entered: null,
      failure: null,
    };
    setRows((list) => [row, ...list].slice(0, 50));
    setCurrent(null);
    setCode('');
    setQuantity('');
    setErrors({});
    focus('code');
    send(scanned.key, line, scanned.code, confirmed);
  };

  /** Enter on the quantity: refused here in words when the pipeline would refuse it, else recorded. */
  const record = () => {
    if (!place) return;
    if (!current) {
      setErrors({ code: 'Scan or type an item first, then its quantity' });
      return focus('code');
    }
    const read = readQuantity(quantity);
    if (!read.ok) {
      setErrors({ quantity: read.message });
      return focus('quantity');
    }
    const line: AdjustmentLineInput = {
      id: crypto.randomUUID(),
      organizationId: place.organizationId.trim(),
      // A barcode is sent as scanned: the pipeline reads it as its item and variant.
      productId: current.code,
      quantityDataSource: options.dataSource,
      physicalMeasure: options.measure,
      quantity: read.value,
      dimensions: { siteId: place.siteId.trim(), locationId: place.locationId.trim() },
      ...(options.reasonCode && { reasonCode: options.reasonCode }),
    };
    const parsed = adjustmentLineSchema.safeParse(line);
    if (!parsed.success) {
      const found: ScanErrors = {};
      for (const e of fieldErrors(parsed.error)) found[FIELD_OF[e.field] ?? 'quantity'] ??= e.message;
      setErrors(found);
      const first = (['organizationId', 'siteId', 'locationId', 'code', 'quantity'] as const).find(
        (f) => found[f],
      );
      return focus(first ?? 'quantity');
    }
    if (isLargeQuantity(read.value, threshold)) {
      setQuestions((q) => [...q, { key: null, line, code: current.code, asked: null }]);
      return;
    }
    commit(line, current, false);
  };

  /** The clerk's yes to the first question. Answers where focus goes next. */
  const confirm = (): 'code' | 'quantity' => {
    const [q] = questions;
    setQuestions((list) => list.slice(1));
    if (!q) return 'code';
    if (q.key === null) {
      if (current) commit(q.line, current, true);
    } else {
      updateRow(q.key, { state: 'sending' });
      send(q.key, q.line, q.code, true);
    }
    return 'code';
  };

  /** The clerk's no: back to Quantity while the line is in the fields; else it is listed as not recorded. */
  const cancel = (): 'code' | 'quantity' => {
    const [q] = questions;
    setQuestions((list) => list.slice(1));
    if (!q || q.key === null) return 'quantity';
    updateRow(q.key, { state: 'failed', failure: 'the large quantity was not confirmed' });
    return 'code';
  };

  /** A manager's PIN or badge for the first line that needs one; a refusal rejects (the dialog says it). */
  const approveWith = async (override: Override) => {
    const [a] = approvals;
    if (!a) return;
    updateRow(a.key, { state: 'sending' });
    await send(a.key, a.line, a.code, a.confirmed, { override });
    setApprovals((list) => list.filter((x) => x.key !== a.key));
  };
  /** The first line that needs a manager goes to the approval list. */
  const park = async () => {
    const [a] = approvals;
    if (!a) return;
    setApprovals((list) => list.filter((x) => x.key !== a.key));
    updateRow(a.key, { state: 'sending' });
    await send(a.key, a.line, a.code, a.confirmed, { park: true });
  };
  const dropApproval = () => {
    const [a] = approvals;
    if (!a) return;
    setApprovals((list) => list.slice(1));
    updateRow(a.key, { state: 'failed', failure: 'not approved by a manager' });
  };

  return {
    approval: approvals[0] ?? null,
    approveWith,
    park,
    dropApproval,
    code,
    setCode: (value: string) => {
      setCode(value);
      // A changed code is a new scan: the quantity waits for its Enter.
      setCurrent(null);
      setErrors((e) => (e.code ? { ...e, code: undefined } : e));
    },
    quantity,
    setQuantity: (value: string) => {
      setQuantity(value);
      setErrors((e) => (e.quantity ? { ...e, quantity: undefined } : e));
    },
    errors,
    setErrors,
    current,
    currentLookup: current ? (lookups[current.key] ?? null) : null,
    lookups,
    rows,
    question: questions[0] ?? null,
    scan,
    record,
    confirm,
    cancel,
  };
}
