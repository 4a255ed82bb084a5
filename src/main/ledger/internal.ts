/**
 * The ledger's raw connection, for the ledger's own modules and for tests that must look
 * under the ledger's API (a kill test counting rows, a migration test). Code outside
 * src/main/ledger may not import this module (biome.json): it writes through the gate.
 */
import type { LedgerConnection } from './connection';

const connections = new WeakMap<object, LedgerConnection>();

/** Called by the ledger's own classes as they are built. */
export function holdConnection(owner: object, conn: LedgerConnection): void {
  connections.set(owner, conn);
}

/** The connection behind a Ledger or a SyncStore. */
export function connectionOf(owner: object): LedgerConnection {
  const conn = connections.get(owner);
  if (!conn) throw new Error('Not a ledger object');
  return conn;
}
