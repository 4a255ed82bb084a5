/**
 * The IV calls on the wire, by line, so that Void decides on a settled line.
 *
 * The ledger is what keeps a void safe: a call's lines are marked `iv_sending` (committed)
 * before it leaves and unmarked in the transaction that records its outcome, and the void's
 * UPDATE requires the mark to be clear; a batch claimed but not yet sent leaves only with the
 * lines still Created when they are marked, so a void of a claimed line supersedes the claim.
 * What this adds is waiting: a clerk who voids a line while the job is sending it gets the
 * outcome of that call (the line was not in IV, it is voided; IV may have it, Correct is
 * offered) instead of a refusal to try again later.
 *
 * A lane opens a call when it sends a batch and closes it once the batch's outcome is committed,
 * the smaller calls that find a line IV refused included.
 */
import type { Clock, Timer } from '../clock';

export interface IvCall {
  readonly ids: readonly string[];
  readonly done: Promise<void>;
}

interface OpenCall extends IvCall {
  finish(): void;
}

/** The outcome of `decide`: run on a settled line, or not run because its call outlasted the wait. */
export type Settled<T> = { settled: true; value: T } | { settled: false; waitedMs: number };

export class IvInFlight {
  private readonly byLine = new Map<string, OpenCall>();

  /** `clock` times how long a void waits for a call. */
  constructor(private readonly clock: Clock) {}

  open(ids: readonly string[]): IvCall {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const call: OpenCall = { ids, done, finish };
    for (const id of ids) this.byLine.set(id, call);
    return call;
  }

  close(call: IvCall): void {
    for (const id of call.ids) if (this.byLine.get(id) === call) this.byLine.delete(id);
    (call as OpenCall).finish();
  }

  /** Lines on the wire now (for the status and the tests). */
  get size(): number {
    return this.byLine.size;
  }

  /**
   * Runs `decide` once no call carrying the line is in flight, waiting at most `waitMs` for
   * one. The last check and `decide` run in one synchronous stretch, so no lane can send the
   * line or settle its call in between: `decide` reads the ledger as the job left it.
   */
  async settle<T>(lineRecordId: string, waitMs: number, decide: () => T): Promise<Settled<T>> {
    let call = this.byLine.get(lineRecordId);
    if (!call) return { settled: true, value: decide() };
    let timer: Timer | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = this.clock.setTimer(() => resolve('late'), waitMs);
    });
    try {
      while (call) {
        const first = await Promise.race([call.done.then(() => 'done' as const), late]);
        call = this.byLine.get(lineRecordId);
        if (first === 'late' && call) return { settled: false, waitedMs: waitMs };
      }
      return { settled: true, value: decide() };
    } finally {
      timer?.cancel();
    }
  }
}
