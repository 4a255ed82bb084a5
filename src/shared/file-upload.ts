import { z } from 'zod';

/**
 * Actions that take a file: its bytes travel as the input's `content` field, a Uint8Array.
 * Electron's IPC carries it by structured clone; over HTTP it is the request's raw body
 * (application/octet-stream) and the rest of the input rides in a header, so the server
 * knows the action's limit before the first byte and never holds more than that.
 */
export interface FileLimit {
  maxBytes: number;
  /** The limit as people read it ("20 MB"), in every refusal. */
  words: string;
}

const MiB = 1024 * 1024;

export const FILE_LIMITS = {
  /** A CSV or XLSX file for a draft. */
  draftImport: { maxBytes: 20 * MiB, words: '20 MB' },
  /** The SCM data project's exported package (a zip) or its Manifest.xml. */
  importProfile: { maxBytes: 10 * MiB, words: '10 MB (export only the data project, without data)' },
} as const satisfies Record<string, FileLimit>;

/** Over HTTP, the input of an upload but its file: percent-encoded JSON (a header carries ASCII only). */
export const RPC_INPUT_HEADER = 'x-store-ledger-input';

/** The input field that carries the file. */
export const FILE_FIELD = 'content';

/** A file's bytes, not empty and within the action's limit. */
export function fileBytes(limit: FileLimit) {
  return z
    .instanceof(Uint8Array, { error: "must be the file's bytes" })
    .refine((bytes) => bytes.byteLength > 0, { error: 'must not be empty' })
    .refine((bytes) => bytes.byteLength <= limit.maxBytes, { error: `must be at most ${limit.words}` });
}

/**
 * A file ready to be saved: written by main (an export, a diagnostics bundle) and fetched once,
 * by the browser from `GET /download/{downloadId}`, by the desktop window through `files.save`.
 */
export interface FileOffer {
  downloadId: string;
  fileName: string;
  bytes: number;
}
