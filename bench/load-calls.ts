/**
 * The server as the browser UI calls it, for the load drivers: RPCs with the per-run token, a
 * file as the raw body of its RPC (rpc/client.ts), and a file main offers fetched once from
 * GET /download/{id} (rpc/downloads.ts), as the browser shell does.
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

/** An RPC's answer: its value, or its refusal as an error. */
function replyValue<T>(name: string, body: Buffer): T {
  const reply = JSON.parse(body.toString()) as
    | { ok: true; value: T }
    | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`);
  return reply.value;
}

/** One RPC call, as the browser shell makes it (rpc-transport.ts): POST /rpc/<name> with the token header. */
export async function rpc<T>(c: Client, name: string, input: unknown): Promise<T> {
  const res = await httpRequest(`${c.base}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store-ledger-token': c.token },
    body: JSON.stringify(input),
    signal: c.signal,
  });
  return replyValue<T>(name, res.body);
}

// ---- Files in and out, as the browser UI moves them ---------------------------------------------

/** An RPC that takes a file: the bytes are the body, the rest of the input a header (rpc/client.ts). */
async function upload<T>(c: Client, name: string, input: object, bytes: Uint8Array): Promise<T> {
  const res = await httpRequest(`${c.base}/rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-store-ledger-token': c.token,
      'x-store-ledger-input': encodeURIComponent(JSON.stringify(input)),
    },
    body: bytes,
    signal: c.signal,
  });
  return replyValue<T>(name, res.body);
}

/** A file main offered, fetched once as the browser does; answers its size. */
async function download(c: Client, downloadId: string): Promise<number> {
  const res = await httpRequest(`${c.base}/download/${encodeURIComponent(downloadId)}`, {
    method: 'GET',
    signal: c.signal,
    discard: true,
  });
  if (res.status !== 200) throw new Error(`download answered ${res.status}`);
  return res.bytes;
}

/** A file into a new draft through the Drafts page's upload; the draft is deleted after, so runs can repeat. */
export async function importDraft(c: Client, fileName: string, bytes: Uint8Array): Promise<{ rows: number }> {
  const draft = await rpc<{ draftId: string }>(c, 'drafts.create', { name: `bench ${fileName}` });
  try {
    const added = await upload<{ added: number }>(
      c,
      'drafts.import',
      { draftId: draft.draftId, fileName, locale: 'en-US' },
      bytes,
    );
    return { rows: added.added };
  } finally {
    await rpc(c, 'drafts.delete', { draftId: draft.draftId });
  }
}

/** The lines grid's "Export Excel", the whole ledger: written by main, then downloaded. */
export async function exportXlsx(c: Client): Promise<{ bytes: number }> {
  const offer = await rpc<{ downloadId: string }>(c, 'export.xlsx', { kind: 'lines', query: {} });
  return { bytes: await download(c, offer.downloadId) };
}

/** The Diagnostics page's bundle with the full integrity check, downloaded. */
export async function diagnosticsBundle(c: Client): Promise<{ bytes: number }> {
  const bundle = await rpc<{ downloadId: string }>(c, 'diagnostics.create', { full: true });
  return { bytes: await download(c, bundle.downloadId) };
}
