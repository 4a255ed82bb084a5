import { useCallback, useRef, useState } from 'react';
import { type AdjustmentLineInput, adjustmentLineSchema, fieldErrors } from '../../../../shared/adjustment';
import type { LookupResult } from '../../../../shared/master-data';
import { isLargeQuantity } from '../../../../shared/quantity-check';
import type { EnteredLine } from '../../../../shared/views';
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
  state: 'sending' | 'asking' | 'recorded' | 'failed';
  entered: EnteredLine | null;
  /** Why it was not recorded, in words. */
  failure: string | null;
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

  const send = (key: number, line: AdjustmentLineInput, code: string, confirmed: boolean) =>
    enqueue(async () => {
      try {
        const entered = await rpc('lines.create', {
          line,
          screen: 'scan',
          confirmedLargeQuantity: confirmed,
        });
        updateRow(key, { state: 'recorded', entered });
      } catch (error) {
        if (isRpcError(error) && error.code === 'needs_confirmation') {
          updateRow(key, { state: 'asking' });
          const asked = error.errors[0]?.message ?? error.message;
          setQuestions((q) => [...q, { key, line, code, asked }]);
          return;
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

  return {
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
