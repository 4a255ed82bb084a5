/**
 * Reading upstream answers: the human message of an error body (Entra, OData, IV, HTML
 * pages), and JSON read tolerantly (no throw, keys without regard to case).
 */
const MAX_MESSAGE = 2000;

/**
 * The human part of an error body: Entra `error_description`, OData
 * `error.innererror.message` (else `error.message`), IV's JSON `message`/problem
 * details, or the text itself.
 */
export function extractUpstreamMessage(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const json = tryParseJson(text);
  if (json !== undefined) {
    const m = messageFromJson(json);
    if (m !== undefined && m.trim() !== '') return truncate(m.trim());
  }
  if (/^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? truncate(title) : undefined;
  }
  return truncate(text);
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

export function tryParseJson(text: string): unknown {
  const t = text.trim();
  if (t === '' || !/^[[{"]/.test(t)) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Property lookup without regard to case: IV (ASP.NET) answers in its own casing (`siteid`). */
export function getCi(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function messageFromJson(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (Array.isArray(json)) {
    const parts = json.map(messageFromJson).filter((m): m is string => m !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (json === null || typeof json !== 'object') return undefined;

  const description = str(getCi(json, 'error_description'));
  if (description) return description;

  const error = getCi(json, 'error');
  if (error !== null && typeof error === 'object') {
    const inner = str(getCi(getCi(error, 'innererror'), 'message'));
    return inner ?? str(getCi(error, 'message')) ?? str(getCi(error, 'code'));
  }

  const message = str(getCi(json, 'message'));
  if (message) return message;

  const title = str(getCi(json, 'title'));
  const detail = str(getCi(json, 'detail'));
  const errors = getCi(json, 'errors');
  const listed =
    errors !== null && typeof errors === 'object'
      ? Object.entries(errors as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
          .join('; ')
      : undefined;
  const composed = [title, detail, listed].filter(Boolean).join(' ');
  if (composed) return composed;

  return str(error);
}
