import { randomFillSync } from 'node:crypto';

/**
 * Random bytes are drawn from the CSPRNG in blocks: one call per 256 IDs instead of one
 * per ID (bulk ingest mints one ID per line). Each byte of the pool is used once.
 */
const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(16 * POOL_IDS);
let poolOffset = pool.length;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A time-ordered GUID (RFC 9562 version 7). Record IDs are indexed: IDs that grow with
 * time append to the end of the B-tree instead of landing at random pages, which keeps
 * bulk ingest fast, and they still read as the GUIDs IV and SCM expect. `now` is the writer's
 * clock reading (the ledger's clock), never read here.
 */
export function newRecordId(now: number): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const o = poolOffset;
  poolOffset += 16;
  // 48-bit big-endian milliseconds, as six bytes.
  const high = Math.floor(now / 0x1000000);
  const low = now % 0x1000000;
  const b = pool;
  return (
    HEX[(high >>> 16) & 0xff]! +
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[(b[o + 6]! & 0x0f) | 0x70]! +
    HEX[b[o + 7]!]! +
    '-' +
    HEX[(b[o + 8]! & 0x3f) | 0x80]! +
    HEX[b[o + 9]!]! +
    '-' +
    HEX[b[o + 10]!]! +
    HEX[b[o + 11]!]! +
    HEX[b[o + 12]!]! +
    HEX[b[o + 13]!]! +
    HEX[b[o + 14]!]! +
    HEX[b[o + 15]!]!
  );
}
