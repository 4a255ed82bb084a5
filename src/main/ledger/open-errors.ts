/**
 * Why the ledger could not be opened, in words a store's IT can act on: the path, what is wrong
 * with it, and what to do. SQLite and the file system say "unable to open database file",
 * "EEXIST" or a SQL error; none of those may reach a person.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A ledger (or its folder) that cannot be opened, said with its path. No stack reaches a person. */
export class LedgerOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerOpenError';
  }
}

const code = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;

/** The data folder `dir` could not be made or used: a file in its place, or no permission. */
export function folderError(dir: string, error: unknown): Error {
  const c = code(error);
  if (c === 'EEXIST' || c === 'ENOTDIR')
    return new LedgerOpenError(
      `The data folder ${dir} is a file, not a folder (or a file stands in its path). Choose another data folder, or move that file aside.`,
    );
  if (c === 'EACCES' || c === 'EPERM' || c === 'EROFS')
    return new LedgerOpenError(
      `Store Ledger may not create or write the data folder ${dir} (${c === 'EROFS' ? 'the disk is read-only' : 'no permission for this user'}). Give this user write access to it, or choose another data folder.`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * SQLite could not open or set up `file`: said as what is wrong with the folder or the file
 * (read-only, a folder where the file should be), found by asking the file system, not by
 * reading SQLite's message.
 */
export function openError(file: string, error: unknown): Error {
  const dir = path.dirname(file);
  const writable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    return new LedgerOpenError(
      `The ledger ${file} is a folder, not a file. Move it aside, or choose another data folder.`,
    );
  if (!writable(dir))
    return new LedgerOpenError(
      `Store Ledger cannot write in the data folder ${dir}: it is read-only for this user. The ledger needs to write there (its file and its write-ahead log). Give this user write access, or choose another data folder.`,
    );
  if (fs.existsSync(file) && !writable(file))
    return new LedgerOpenError(
      `The ledger ${file} is read-only for this user. Give this user write access to it, or choose another data folder.`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

/** An upgrade step failed: which, the ledger's own words kept for IT, and where the copy taken before it is. */
export function upgradeError(
  file: string,
  step: { version: number; name: string },
  from: number,
  backupPath: string | null,
  error: unknown,
): LedgerOpenError {
  const said = error instanceof Error ? error.message : String(error);
  return new LedgerOpenError(
    `The ledger ${file} could not be upgraded to format ${step.version} (${step.name}): ${said}. ` +
      `That step was rolled back; ${backupPath ? `a copy of the ledger as it was before the upgrade (format ${from}) is ${backupPath}` : 'the ledger held no data yet'}. ` +
      'Run the Store Ledger version that wrote it until this is solved, and send IT the diagnostics or this message.',
  );
}
