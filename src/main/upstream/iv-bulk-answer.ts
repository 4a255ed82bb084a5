/**
 * What IV's `onhand/bulk` answer says about each event sent. The answer is not documented for
 * on-hand changes, so every plausible shape is read, and an event counts as accepted only when
 * the answer says so (or the answer is a bare 2xx with no body); what the answer leaves unsaid
 * is held for a resend, which IV's `id` dedup makes safe. The shapes:
 *
 * - `{success: [...], failure: [...]}`: the emulator's and the first guess;
 * - six lists, `success`, `failure`, `conflict`, `notFound`, `partialSuccess`, `unknown`, of
 *   objects `{id, processingStatus, message, statusCode}` whose ids carry the API's prefix: what
 *   Microsoft publishes for the change-schedule bulk API
 *   (`microsoft/Inventory-Visibility-Add-in-Examples`, commit dc5057c,
 *   `features/180atp/apibodyexamples/changeschedulebulk.json`: `"id": "ohcs~id-bike-0001"`);
 * - a per-event array of such objects, or one such object for one event.
 *
 * Per event: listed under success (or a 2xx `statusCode`) → accepted; under conflict (a 409) →
 * already in IV (our event ids are unique, so IV can only have it from an earlier send), accepted;
 * failure / notFound (a 4xx) → refused, in IV's words; partialSuccess → refused in words (IV
 * applied part of it, and a resend with the same id cannot finish it); unknown, a 5xx, or not
 * listed → held.
 */
import { getCi, tryParseJson } from './answer-text';

export interface OnHandBulkRejection {
  id: string;
  statusCode: number;
  message: string;
  /** IV said it applied part of the event (partialSuccess): the line may be in IV, in part. */
  partlyApplied?: boolean;
}

export interface OnHandBulkResult {
  accepted: string[];
  /** The accepted events IV answered as already present (conflict): applied by an earlier send. */
  alreadyApplied: string[];
  rejected: OnHandBulkRejection[];
  /** Events the answer said nothing certain about: sent again later (IV counts an id once). */
  held: string[];
  /** Why they are held, in words, when some are. */
  heldReason: string | null;
  /** The answer as it came, for the attempt log. */
  raw: string;
}

type Outcome = 'accepted' | 'applied' | 'rejected' | 'partial' | 'held';

const LISTS: Record<string, Outcome> = {
  success: 'accepted',
  conflict: 'applied',
  failure: 'rejected',
  notfound: 'rejected',
  partialsuccess: 'partial',
  unknown: 'held',
};

/** IV prefixes the ids it answers with its API's kind (`ohcs~`, `ohre~`): compared without it. */
const idKey = (id: string) => id.replace(/^[a-z]+~/i, '').toLowerCase();

function outcomeOfItem(item: unknown, list: Outcome | null): Outcome {
  const status = Number(getCi(item, 'statusCode') ?? getCi(item, 'status'));
  const processing = String(getCi(item, 'processingStatus') ?? '').toLowerCase();
  if (list !== null) {
    // A list's name decides, unless the item's own status contradicts a success.
    if (list === 'accepted' && Number.isFinite(status) && status >= 300) return 'held';
    return list;
  }
  if (Number.isFinite(status) && status > 0) {
    if (status >= 200 && status < 300) return 'accepted';
    if (status === 409) return 'applied';
    if (status >= 400 && status < 500) return 'rejected';
    return 'held';
  }
  return LISTS[processing] ?? 'held';
}

export function interpretBulkAnswer(ids: string[], text: string): OnHandBulkResult {
  const unique = [...new Set(ids)];
  const byKey = new Map(unique.map((id) => [idKey(id), id]));
  const raw = text;
  const result: OnHandBulkResult = {
    accepted: [],
    alreadyApplied: [],
    rejected: [],
    held: [],
    heldReason: null,
    raw,
  };
  if (text.trim() === '') return { ...result, accepted: unique };
  const holdAll = (why: string): OnHandBulkResult => ({ ...result, held: unique, heldReason: why });
  const json = tryParseJson(text);
  if (json === undefined) return holdAll('Inventory Visibility answered with a body that is not JSON');
  if (json === null || typeof json !== 'object')
    return holdAll('Inventory Visibility answered with an unknown shape');

  // Each item with the list it came in (null: a per-event array or a single event object).
  const items: { item: unknown; list: Outcome | null; notFound?: boolean }[] = [];
  if (Array.isArray(json)) for (const item of json) items.push({ item, list: null });
  else {
    let listed = false;
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      const list = LISTS[key.toLowerCase()];
      if (list === undefined || !Array.isArray(value)) continue;
      listed = true;
      for (const item of value) items.push({ item, list, notFound: key.toLowerCase() === 'notfound' });
    }
    if (!listed) {
      if (getCi(json, 'id') !== undefined) items.push({ item: json, list: null });
      else {
        const status = Number(getCi(json, 'statusCode') ?? getCi(json, 'status'));
        const message = getCi(json, 'message') ?? getCi(json, 'error');
        const said = typeof message === 'string' && message !== '' ? `: ${message}` : '';
        return holdAll(
          Number.isFinite(status) && status >= 400
            ? `Inventory Visibility answered 200 with status ${status} in the body${said}`
            : 'Inventory Visibility answered without saying which events it took',
        );
      }
    }
  }

  const decided = new Map<string, Outcome>();
  let unmatched = false;
  for (const { item, list, notFound } of items) {
    const value = typeof item === 'string' ? item : getCi(item, 'id');
    const id = typeof value === 'string' ? byKey.get(idKey(value)) : undefined;
    if (id === undefined) {
      // A failure or an unknown that names no event of ours leaves every unlisted one in doubt.
      if (list !== 'accepted' && list !== 'applied') unmatched = true;
      continue;
    }
    if (decided.has(id)) continue;
    const outcome = typeof item === 'string' ? (list ?? 'held') : outcomeOfItem(item, list);
    decided.set(id, outcome);
    if (outcome === 'rejected' || outcome === 'partial') {
      const status = Number(getCi(item, 'statusCode') ?? getCi(item, 'status'));
      const message = getCi(item, 'message') ?? getCi(item, 'error');
      const said = typeof message === 'string' && message !== '' ? message : null;
      result.rejected.push(
        outcome === 'partial'
          ? {
              id,
              partlyApplied: true,
              statusCode: Number.isFinite(status) && status >= 400 ? status : 422,
              message: `Inventory Visibility applied only part of this event (partialSuccess${said ? `: ${said}` : ''}); sending it again cannot finish it: check the item's on-hand in Inventory Visibility and correct the line`,
            }
          : {
              id,
              statusCode: Number.isFinite(status) && status >= 400 ? status : notFound ? 404 : 400,
              message: said ?? 'refused by Inventory Visibility',
            },
      );
    }
  }
  for (const id of unique) {
    const outcome = decided.get(id);
    if (outcome === 'accepted' || outcome === 'applied') result.accepted.push(id);
    if (outcome === 'applied') result.alreadyApplied.push(id);
    if (outcome === undefined || outcome === 'held') result.held.push(id);
  }
  if (result.held.length > 0)
    result.heldReason = unmatched
      ? 'Inventory Visibility reported a failure without saying for which event'
      : 'Inventory Visibility did not answer this event as taken or refused';
  return result;
}
