/**
 * Files of a given size for upload tests: a delivery CSV whose rows carry a long note column
 * the import does not read, so a 15 MB file is 15 MB on the wire without 300,000 rows to judge.
 */
export function deliveryCsv(minBytes: number, rowBytes = 500): { csv: Buffer; rows: number } {
  const header = 'Organization,Item,Qty,Site,Warehouse,Notes\n';
  const rows = Math.max(1, Math.ceil((minBytes - header.length) / rowBytes));
  const parts = [header];
  for (let i = 0; i < rows; i++) {
    const start = `usmf,D${String((i % 9) + 1).padStart(4, '0')},${(i % 7) + 1},1,13,`;
    parts.push(`${start}${'n'.repeat(Math.max(1, rowBytes - start.length - 1))}\n`);
  }
  return { csv: Buffer.from(parts.join('')), rows };
}
