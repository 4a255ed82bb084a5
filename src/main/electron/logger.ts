import fs from 'node:fs';
import path from 'node:path';

const MAX_BYTES = 5 * 1024 * 1024;

export type Log = (message: string, detail?: unknown) => void;

function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

/**
 * The packaged app has no console a clerk could read, and errors shown in the UI say "the
 * details are in its log": this is that log, `<userData>/logs/main.log`, one file kept aside
 * when it passes 5 MB. Lines go to stdout/stderr too (useful with `npm start`).
 */
export class FileLog {
  private file: string | null = null;

  attach(dataDir: string): string {
    const dir = path.join(dataDir, 'logs');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'main.log');
    try {
      if (fs.statSync(file).size > MAX_BYTES) fs.renameSync(file, `${file}.1`);
    } catch {
      // No log yet.
    }
    this.file = file;
    return file;
  }

  readonly log: Log = (message, detail) => {
    const text = detail === undefined ? message : `${message}: ${describe(detail)}`;
    if (detail === undefined) console.log(`[store-ledger] ${text}`);
    else console.error(`[store-ledger] ${text}`);
    if (!this.file) return;
    try {
      fs.appendFileSync(this.file, `${new Date().toISOString()} ${text}\n`, { mode: 0o600 });
    } catch {
      // A full disk must not take the app down with it; the console still has the line.
    }
  };
}
