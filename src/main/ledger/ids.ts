import { randomBytes } from 'node:crypto';

/**
 * A time-ordered GUID (RFC 9562 version 7). Record IDs are indexed: IDs that grow with
 * time append to the end of the B-tree instead of landing at random pages, which keeps
 * bulk ingest fast, and they still read as the GUIDs IV and SCM expect.
 */
export function newRecordId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
