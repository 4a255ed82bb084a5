import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

/**
 * The spreadsheet a store imports into a draft, as CSV and as XLSX with the same rows: item,
 * quantity, site and warehouse (the organization is the store's default).
 */
export async function writeImportFiles(
  dir: string,
  rows: number,
  products: (i: number) => string,
): Promise<{ csv: string; xlsx: string }> {
  const row = (i: number) => [products(i), (i % 7) + 1, '1', String(11 + (i % 3))] as const;
  const header = ['productId', 'quantity', 'siteId', 'locationId'];
  const csv = path.join(dir, `import-${rows}.csv`);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) lines.push(row(i).join(','));
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);

  const xlsx = path.join(dir, `import-${rows}.xlsx`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Adjustments');
  sheet.addRow(header).commit();
  for (let i = 0; i < rows; i++) sheet.addRow([...row(i)]).commit();
  sheet.commit();
  await workbook.commit();
  return { csv, xlsx };
}
