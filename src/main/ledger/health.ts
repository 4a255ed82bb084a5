import { sql } from 'kysely';
import type { LedgerHealth } from '../../shared/ledger-health';
import { type Clock, nowIso, systemClock } from '../clock';
import type { LedgerConnection } from './connection';

const DISK_FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const IO_ERROR = /^SQLITE_IOERR|^EIO$|^EROFS$/;

/** A failure of the disk under the ledger (not of the caller, not a bug), or null. */
export function storageFault(error: unknown): 'disk_full' | 'io_error' | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (DISK_FULL.has(code)) return 'disk_full';
  return IO_ERROR.test(code) ? 'io_error' : null;
}

export const STORAGE_MESSAGES = {
  disk_full:
    'The disk holding the ledger is full; nothing was stored. Free some space on it: Store Ledger resumes by itself.',
  io_error:
    'The disk holding the ledger reported a read/write error; nothing was stored. Check the disk: Store Ledger retries by itself.',
} as const;

/** Seconds a store system should wait before sending again. */
export const STORAGE_RETRY_AFTER_S = 30;

const PROBE_KEY = 'health-probe';
/** Real time: the probe asks the disk, whose recovery no clock of ours decides. */
const PROBE_EVERY_MS = 5_000;

/**
 * Tracks disk faults of the ledger. A fault marks it degraded; any later successful
 * write clears it, and while degraded a probe writes (and removes) one page every few
 * seconds, so /health and the UI turn back to ok by themselves once space returns,
 * even if no line arrives meanwhile.
 */
export class LedgerHealthMonitor {
  private fault: { reason: 'disk_full' | 'io_error'; since: string } | null = null;
  private probe: NodeJS.Timeout | null = null;

  constructor(
    private readonly conn: LedgerConnection,
    /** Dates the fault (`since`). */
    private readonly clock: Pick<Clock, 'now'> = systemClock,
    private readonly onChange: (health: LedgerHealth) => void = () => {},
  ) {}

  current(): LedgerHealth {
    if (!this.fault) return { state: 'ok', reason: null, message: null, since: null };
    return {
      state: 'degraded',
      reason: this.fault.reason,
      message: STORAGE_MESSAGES[this.fault.reason],
      since: this.fault.since,
    };
  }

  /** Returns the fault's kind when `error` is a disk fault (and records it), else null. */
  report(error: unknown): 'disk_full' | 'io_error' | null {
    const reason = storageFault(error);
    if (!reason) return null;
    if (this.fault?.reason !== reason) {
      this.fault = { reason, since: this.fault?.since ?? nowIso(this.clock) };
      this.onChange(this.current());
    }
    if (!this.probe) {
      this.probe = setInterval(() => this.tryProbe(), PROBE_EVERY_MS);
      this.probe.unref();
    }
    return reason;
  }

  /** A write went through: the disk is back. */
  recovered(): void {
    if (!this.fault) return;
    this.fault = null;
    this.stopProbe();
    this.onChange(this.current());
  }

  /** One page written and committed, then removed: the cheapest real proof that the disk takes writes. */
  tryProbe(): void {
    const { qb } = this.conn;
    try {
      const value = sql<string>`hex(randomblob(2048))`;
      this.conn.run(
        qb
          .insertInto('settings')
          .values({ key: PROBE_KEY, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
      );
      this.conn.run(qb.deleteFrom('settings').where('key', '=', PROBE_KEY));
      this.recovered();
    } catch (error) {
      // Still failing: try again later. Anything else (the ledger closed) ends the probe.
      if (!storageFault(error)) this.stopProbe();
    }
  }

  stop(): void {
    this.stopProbe();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }
}
