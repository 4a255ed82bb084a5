import type { Settings } from '../../shared/settings';
import type { Clock } from '../clock';
import type { SyncStore } from '../ledger/sync-store';
import type { IvClient, ScmClient } from '../upstream';
import type { Trigger } from './scheduler';
import type { SyncTiming } from './timing';

/** What one run of a job works with. */
export interface JobContext {
  store: SyncStore;
  runId: number;
  trigger: Trigger;
  settings: Settings;
  timing: SyncTiming;
  /** The time every step reads and waits on (the engine's). */
  clock: Clock;
  iv: IvClient;
  scm: ScmClient;
  /** Counts shown in the run summary; filled as the run goes, kept even when it fails. */
  counts: Record<string, number>;
  /** The ledger changed (grids refresh, status is pushed). */
  changed(): void;
  /** An upstream answered (whatever it said). */
  reached(service: 'iv' | 'scm'): void;
  /**
   * A call failed (outage, throttling, refused settings) while the run may go on: the status
   * says so at once, not only when the run ends.
   */
  callFailed(service: 'iv' | 'scm', message: string, offline: boolean): void;
  /** Store Ledger is closing: finish the current step and return. */
  stopping(): boolean;
}

/**
 * An upstream client whose answers come back once the ledger is writable. What a job does
 * with an answer is a write, and a write that meets a bulk still being written has the event
 * loop wait for the bulk writer's thread to finish it (40–50 ms for a 1,000-line bulk, seen in
 * the soak); waiting here instead, the loop goes on answering while the bulk is written.
 */
export function answeredWhenWritable<T extends object>(client: T, store: Pick<SyncStore, 'whenWritable'>): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          async (answer: unknown) => {
            await store.whenWritable();
            return answer;
          },
          async (error: unknown) => {
            await store.whenWritable();
            throw error;
          },
        );
      };
    },
  });
}

export function add(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}
