// What the drafts tests share: the API fixture, the file import as a store system calls it, and
// the ledger's lines as a list.
import ExcelJS from 'exceljs';
import type { BusinessLayer } from '../../src/main/business-layer';
import { linesQuerySchema } from '../../src/shared/queries';
import type { DetailedLine } from '../../src/shared/views';
import { API_KEY, type ApiFixture, startApi } from '../helpers/layer';
import { asAdmin, call } from '../helpers/people';

export async function draftsApi(): Promise<ApiFixture> {
  const fx = await startApi();
  fx.layer.settings.update({ enableFeature: true, defaultOrganizationId: 'usmf' });
  return fx;
}

export function postBody(url: string, body: Uint8Array | string, contentType = 'application/octet-stream') {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': contentType },
    body,
  });
}

/** `POST /drafts/import?fileName=…&…`: the answer's status and body. */
export async function importFile(
  fx: ApiFixture,
  fileName: string,
  body: Uint8Array | string,
  query = '',
): Promise<{ status: number; body: Record<string, unknown> & { errors?: unknown[] }; text: string }> {
  const res = await postBody(
    `${fx.api}/drafts/import?fileName=${encodeURIComponent(fileName)}${query}`,
    body,
  );
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

/** An RPC as the window sends it, signed in: the role check, then the contract's schema. */
export async function rpc(layer: BusinessLayer, name: string, input: unknown) {
  return call(layer, await asAdmin(layer), name, input);
}

export function ledgerLines(layer: BusinessLayer): DetailedLine[] {
  return layer.ledger.lines.list(linesQuerySchema.parse({ top: 1000 })).value;
}

export async function workbook(rows: ExcelJS.CellValue[][], build?: (sheet: ExcelJS.Worksheet) => void) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  build?.(sheet);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A line for the bulk API. */
export function line(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    organizationId: 'usmf',
    productId: 'D0001',
    quantityDataSource: '@iv',
    physicalMeasure: 'adjustment',
    quantity: 1,
    dimensions: { siteId: '1', locationId: '13' },
    ...extra,
  };
}
