import type { ZipKind } from './rules';

/** What the main thread gives the zip worker (src/main/zip-worker.ts). */
export interface ZipJob {
  kind: ZipKind;
  bytes: Uint8Array;
}

/**
 * The worker's messages, in order: for a workbook its rows a batch at a time, then one end. The
 * rows and the profile are plain data this folder passes along without reading them.
 */
export type ZipReply =
  | { rows: unknown[] }
  | { done: { notes: string[] } | { profile: unknown } }
  | { refused: { message: string; problems: { field: string; message: string }[] } }
  | { failed: string };
