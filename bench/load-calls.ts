/**
 * The server as the browser UI calls it, for the load drivers. The three calls below the line
 * are the ones that change when uploads travel as raw bytes and the workbook as a streamed
 * download: the workbook and the bundle come back as base64 inside JSON, as the UI gets them
 * (csv-export.ts, DiagnosticsPage.tsx). Adapt them here and nowhere else.
 */
import { httpRequest } from './http-client';

export interface Client {
  /** `http://127.0.0.1:port` */
  base: string;
  /** `${base}/api/environment/{env}/transaction` */
  api: string;
  apiKey: string;
  /** The per-run RPC token (the UI's `#token=`). */
  token: string;
  /** Cuts the calls under way short (the load client's, never sent over IPC). */
  signal?: AbortSignal;
}

/** One RPC call, as the browser shell makes it (rpc-transport.ts): POST /rpc/<name> with the token header. */
export async function rpc<T>(c: Client, name: string, input: unknown): Promise<T> {
  const res = await httpRequest(`${c.base}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store-ledger-token': c.token },
    body: JSON.stringify(input),
    signal: c.signal,
  });
  const reply = JSON.parse(res.body.toString()) as
    | { ok: true; value: T }
    | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`);
  return reply.value;
}

// ---- The calls that change --------------------------------------------------------------------

/**
 * A file into a new draft; the draft is deleted after, so runs can repeat. Through the API's
 * upload route (raw bytes): the UI's `drafts.import` RPC carries the file as one base64 string,
 * and the RPC body's shape limits (json-body.ts, 64 KB a string) refuse any file past 48 KB.
 */
export async function importDraft(c: Client, fileName: string, bytes: Uint8Array): Promise<{ rows: number }> {
  const auth = { authorization: `Bearer ${c.apiKey}` };
  const res = await httpRequest(`${c.api}/drafts/import?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/octet-stream' },
    body: bytes,
    signal: c.signal,
  });
  if (res.status !== 200)
    throw new Error(`drafts/import answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
  const added = JSON.parse(res.body.toString()) as { added: number; draft: { draftId: string } };
  const deleted = await httpRequest(`${c.api}/drafts/${encodeURIComponent(added.draft.draftId)}/delete`, {
    method: 'POST',
    headers: auth,
    signal: c.signal,
  });
  if (deleted.status !== 200) throw new Error(`drafts/{id}/delete answered ${deleted.status}`);
  return { rows: added.added };
}

/** The lines grid's "Export XLSX", the whole ledger. */
export async function exportXlsx(c: Client): Promise<{ bytes: number }> {
  const { base64 } = await rpc<{ base64: string }>(c, 'export.xlsx', { kind: 'lines', query: {} });
  return { bytes: Math.floor((base64.length * 3) / 4) };
}

/** The Diagnostics page's bundle with the full integrity check. */
export async function diagnosticsBundle(c: Client): Promise<{ bytes: number }> {
  const bundle = await rpc<{ bytes: number }>(c, 'diagnostics.create', { full: true });
  return { bytes: bundle.bytes };
}
