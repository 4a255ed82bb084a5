import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileOffer } from '../../shared/file-upload';

/** An offered file, taken once: by the browser's download route or the window's Save dialog. */
export interface OfferedFile {
  file: string;
  fileName: string;
  contentType: string;
  bytes: number;
  /** Call when it has been delivered (or failed to be): a temporary file is deleted. */
  done(): void;
}

/** Long enough to click Save; short enough that a forgotten export does not fill the disk. */
export const OFFER_TTL_MS = 10 * 60_000;

interface Entry {
  file: string;
  fileName: string;
  contentType: string;
  bytes: number;
  temporary: boolean;
  timer: NodeJS.Timeout;
}

/**
 * Files main has written for the clerk to save (an XLSX export, a diagnostics bundle), each
 * behind a one-time random ID. The ID is the capability: it is only ever given in an answer to
 * the token-guarded RPC, cannot be guessed (256 bits), works once and expires, so the browser
 * can fetch the file by plain navigation (no token header, no blob held in the page) and save
 * it to disk as it streams. Temporary files live in a folder of their own, removed on close.
 */
export class DownloadOffers {
  private readonly entries = new Map<string, Entry>();
  private dir: string | null = null;

  constructor(private readonly ttlMs = OFFER_TTL_MS) {}

  /** A new file path for a temporary file to offer (the folder is made on first use). */
  tempFile(extension: string): string {
    if (!this.dir) this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-ledger-files-'));
    return path.join(this.dir, `${randomBytes(12).toString('hex')}${extension}`);
  }

  offer(file: {
    file: string;
    fileName: string;
    contentType: string;
    bytes: number;
    /** Deleted once delivered or expired (an export); else kept (a bundle in the data folder). */
    temporary: boolean;
  }): FileOffer {
    const downloadId = randomBytes(32).toString('base64url');
    const timer = setTimeout(() => this.take(downloadId)?.done(), this.ttlMs);
    timer.unref();
    this.entries.set(downloadId, { ...file, timer });
    return { downloadId, fileName: file.fileName, bytes: file.bytes };
  }

  /** The file behind an ID, once: a second take (or one after expiry) finds nothing. */
  take(downloadId: string): OfferedFile | undefined {
    const entry = this.entries.get(downloadId);
    if (!entry) return undefined;
    this.entries.delete(downloadId);
    clearTimeout(entry.timer);
    const { timer: _, temporary, ...file } = entry;
    return { ...file, done: () => (temporary ? removeQuietly(entry.file) : undefined) };
  }

  /** Files not yet taken, and the temporary folder, go. */
  close(): void {
    for (const id of [...this.entries.keys()]) this.take(id)?.done();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

function removeQuietly(file: string): void {
  fs.rm(file, { force: true }, () => undefined);
}
