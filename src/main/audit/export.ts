import fs from 'node:fs';
import type { AuditQuery } from '../../shared/audit';
import { csvRow } from '../../shared/csv';
import type { FileOffer } from '../../shared/file-upload';
import type { DownloadOffers } from '../downloads/offers';
import { yieldEvery } from '../event-loop';
import type { Ledger } from '../ledger';
import { toView } from './trail';
import { localWords } from './verify';

const PAGE = 500;
const HEADER = [
  '#',
  'When (this PC’s time)',
  'When (UTC)',
  'Who',
  'Kind',
  'PC',
  'Action',
  'What',
  'Target',
  'Before',
  'After',
  'Outcome',
  'Lines',
];

/**
 * The filtered audit trail as a CSV file, offered through the downloads path like an export.
 * Rows are as stored: their secrets were redacted before they were written. Written a page at a
 * time, the loop getting a turn between pages; every text cell passes the spreadsheet-safety rule.
 */
export async function exportAuditCsv(
  ledger: Ledger,
  downloads: DownloadOffers,
  query: Omit<AuditQuery, 'top' | 'skip'>,
): Promise<FileOffer> {
  const file = downloads.tempFile('.csv');
  const out = fs.createWriteStream(file);
  const pause = yieldEvery();
  let bytes = 0;
  const write = (text: string) => {
    bytes += Buffer.byteLength(text);
    return out.write(text);
  };
  write(`\ufeff${csvRow(HEADER)}`);
  for (let before = Number.MAX_SAFE_INTEGER; ; ) {
    const rows = ledger.audit.pageBefore(query, before, PAGE);
    for (const row of rows) {
      const v = toView(row);
      write(
        csvRow([
          v.seq,
          localWords(v.at),
          v.at,
          v.actor.name,
          v.actor.kind,
          v.pc,
          v.action,
          v.actionWords,
          v.target === null ? '' : JSON.stringify(v.target),
          v.oldValue === null ? '' : JSON.stringify(v.oldValue),
          v.newValue === null ? '' : JSON.stringify(v.newValue),
          v.outcome === 'done' ? 'done' : `refused (${v.errorCode ?? ''})`,
          v.lines ? `#${v.lines.first}–#${v.lines.last} (${v.lines.count})` : '',
        ]),
      );
    }
    if (rows.length < PAGE) break;
    before = rows[rows.length - 1]!.seq;
    const turn = pause();
    if (turn) await turn;
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return downloads.offer({
    file,
    fileName: 'audit-trail.csv',
    contentType: 'text/csv; charset=utf-8',
    bytes,
    temporary: true,
  });
}
