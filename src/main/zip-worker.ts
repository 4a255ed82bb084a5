/**
 * The zip worker: one thread per file, that unpacks and parses a zip-based file (an XLSX
 * workbook, a data project's package) away from the event loop, and exits. Built as its own
 * entry, out/main/zip-worker.js (electron.vite.config.ts); started by zipwork/run.ts, which knows
 * nothing of what it reads (the drafts' rows, a data project's profile). What it answers
 * is plain data or a refusal in words; anything else it meets is "stopped", never a stack.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { TableError } from './drafts/table';
import { readXlsx } from './drafts/xlsx-read';
import { ImportProfileError, readProfileBytes } from './upstream/import-profile-manifest';
import { ZipRefusal } from './zipwork/limits';
import type { ZipJob, ZipReply } from './zipwork/protocol';

/**
 * Rows per message: the main thread deserializes each message in one go, so 100,000 rows in
 * one would hold its loop for a while. The next batch goes when the main thread asks for it
 * (it has read the last), so batches never queue up on its loop: a 100,000-row workbook's
 * rows arrive in about half a second, the loop turning between batches.
 */
const ROWS_PER_MESSAGE = 2_000;

// The event loop's thread goes first when the CPU is short: on Linux a thread's nice value is
// its own (setpriority(2), "the nice value is a per-thread attribute":
// https://man7.org/linux/man-pages/man2/setpriority.2.html). Elsewhere the same call sets the
// whole app's priority, so it is not made there.
if (process.platform === 'linux') {
  try {
    os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {}
}

const port = parentPort;
if (!port) throw new Error('the zip worker runs in a worker thread');
const send = (reply: ZipReply) => port.postMessage(reply);
const asked = () => new Promise<void>((resolve) => port.once('message', () => resolve()));

async function run({ kind, bytes }: ZipJob): Promise<void> {
  if (kind === 'package') return send({ done: readProfileBytes(bytes) });
  const table = await readXlsx(bytes);
  for (let at = 0; at < table.rows.length; at += ROWS_PER_MESSAGE) {
    const more = asked();
    send({ rows: table.rows.slice(at, at + ROWS_PER_MESSAGE) });
    await more;
  }
  send({ done: { notes: table.notes } });
}

run(workerData as ZipJob).catch((error: unknown) => {
  if (error instanceof ZipRefusal || error instanceof ImportProfileError)
    send({ refused: { message: error.message, problems: error.problems } });
  else if (error instanceof TableError) send({ refused: { message: error.message, problems: [] } });
  else send({ failed: error instanceof Error ? error.message : String(error) });
});
