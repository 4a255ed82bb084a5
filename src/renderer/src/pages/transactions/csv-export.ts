import type { AggregatedLine, DetailedLine, Page } from '../../../../shared/views';
import { rpc, transportPlatform } from '../../rpc/client';
import { RpcError } from '../../rpc/errors';
import { toSearchParams } from './filters';

type Kind = 'lines' | 'aggregated';
const FILE: Record<Kind, string> = {
  lines: 'adjustment-lines.csv',
  aggregated: 'aggregated-adjustment-lines.csv',
};

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** In the browser: the API's streamed export (`.../lines.csv`), with the grid's filters and the API key. */
async function fetchApiCsv(kind: Kind, query: Record<string, unknown>): Promise<Blob> {
  const [info, settings, key] = await Promise.all([
    rpc('app.info', {}),
    rpc('settings.get', {}),
    rpc('apiKey.get', {}),
  ]);
  if (!info.apiBaseUrl || !settings.environmentId) {
    throw new RpcError({
      code: 'not_configured',
      message: 'Export needs the local API and an environment ID: set the environment ID under Settings.',
    });
  }
  const base = info.apiBaseUrl.replace('{environmentId}', encodeURIComponent(settings.environmentId));
  const res = await fetch(`${base}/adjustment/${kind}.csv?${toSearchParams(query)}`, {
    headers: { authorization: `Bearer ${key.apiKey}` },
    cache: 'no-store',
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new RpcError({
      code: 'internal',
      message: body?.error?.message ?? `The export answered ${res.status}`,
    });
  }
  return res.blob();
}

// Electron's window may not call the loopback API (its CSP allows only its own origin), so it
// builds the same file from RPC pages. The columns follow src/main/api/csv.ts.
const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+@\t\r]|^-(?![\d.])/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const LINE_FIELDS = [
  'lineRecordId',
  'id',
  'status',
  'organizationId',
  'productId',
  'siteId',
  'locationId',
  'dimensions',
  'quantityDataSource',
  'physicalMeasure',
  'quantity',
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
  'aggregatedLineId',
  'source',
  'createdAt',
  'createdBy',
  'ivPostedAt',
  'aggregatedAt',
  'attempts',
  'lastError',
] as const;
const AGGREGATED_FIELDS = [
  'aggregatedLineId',
  'status',
  'statusReason',
  'organizationId',
  'productId',
  'siteId',
  'locationId',
  'dimensions',
  'quantityDataSource',
  'physicalMeasure',
  'quantity',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
  'targetTransactionStatus',
  'journalNumber',
  'journalLineNumber',
  'detailedLineCount',
  'attempts',
  'lastError',
  'createdAt',
  'updatedAt',
] as const;

function row(fields: readonly string[], record: DetailedLine | AggregatedLine): string {
  const r = record as unknown as Record<string, unknown> & { dimensions: Record<string, string> };
  return `${fields
    .map((f) =>
      cell(
        f === 'siteId' || f === 'locationId'
          ? r.dimensions[f]
          : f === 'dimensions'
            ? JSON.stringify(r.dimensions)
            : r[f],
      ),
    )
    .join(',')}\r\n`;
}

async function buildFromRpc(kind: Kind, query: Record<string, unknown>): Promise<Blob> {
  const fields = kind === 'lines' ? LINE_FIELDS : AGGREGATED_FIELDS;
  const parts = [`\ufeff${fields.join(',')}\r\n`];
  for (let skip = 0; ; skip += 1000) {
    const page: Page<DetailedLine | AggregatedLine> =
      kind === 'lines'
        ? await rpc('lines.list', { ...query, top: 1000, skip })
        : await rpc('aggregated.list', { ...query, top: 1000, skip });
    for (const r of page.value) parts.push(row(fields, r));
    if (page.value.length < 1000 || skip + 1000 >= page.count) break;
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** Saves the tab's rows, with its filters and sort, as the seed's "Adjustment Line" / "Aggregated Adjustment Line" CSV. */
export async function exportCsv(kind: Kind, query: Record<string, unknown>): Promise<void> {
  const blob =
    transportPlatform() === 'browser' ? await fetchApiCsv(kind, query) : await buildFromRpc(kind, query);
  saveBlob(blob, FILE[kind]);
}
