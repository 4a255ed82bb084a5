// SCM's Inventory Visibility posting job: a batch job on its own recurrence
// (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes),
// separate from import. Each pass posts every unposted journal whose header expects Posted; one
// line that would make physical on-hand negative fails the whole journal, which stays unposted
// (the text only in the admin read-out, as only SCM's own UI would show it) and is attempted
// again on every later pass. The offset follows a posted line after offsetLagMs, and only for
// data source/measure pairs configured on SCM's offset tab
// (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-adjustment-offset).
import { dimensionKey, dimensionsFromLine } from './dimensions';
import type { EmulatorState } from './state';
import type { JournalLine, JournalRecord, PostingRun } from './types';

/** Floor of the interval between passes, so postingDelayMs 0 does not spin. */
const MIN_INTERVAL_MS = 5;
/** The user SCM's batch job posts as. */
const BATCH_USER = 'Admin';

export interface PostingHooks {
  /** Runs fn after ms as pending work (idle waits for it). */
  schedule(ms: number, fn: () => void): void;
  /** Called after every pass: idle may have been reached. */
  changed(): void;
}

export class PostingJob {
  /** Journals the job would post → the fno on-hand version its last attempt saw (null: never attempted). */
  private readonly toPost = new Map<JournalRecord, number | null>();
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly s: EmulatorState,
    private readonly hooks: PostingHooks,
  ) {}

  /** A journal SCM just created; the job takes it on its next pass if it expects Posted. */
  add(journal: JournalRecord): void {
    if (journal.InventoryServiceJournalExpectedStatus !== 'Posted' || journal.IsPosted === 'Yes') return;
    this.toPost.set(journal, null);
    this.reschedule();
  }

  /**
   * Nothing for the next pass to change: the job is off, or every journal it would post was
   * attempted with the on-hand as it is now (a journal without lines never posts: nothing to post).
   */
  settled(): boolean {
    if (!this.s.settings.postingJobEnabled) return true;
    const version = this.s.iv.fnoVersion;
    for (const [journal, seen] of this.toPost) if (journal.lines.length > 0 && seen !== version) return false;
    return true;
  }

  /** After a settings change: the recurrence follows postingDelayMs and postingJobEnabled at once. */
  reschedule(): void {
    this.timer?.cancel();
    this.timer = null;
    this.arm();
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
    this.toPost.clear();
  }

  private arm(): void {
    if (this.timer || !this.s.settings.postingJobEnabled || this.toPost.size === 0) return;
    // On the emulator's clock: a test moving its clock runs the passes it moves past.
    this.timer = this.s.clock.setTimer(
      () => {
        this.timer = null;
        this.run();
        this.arm();
      },
      Math.max(this.s.settings.postingDelayMs, MIN_INTERVAL_MS),
    );
  }

  /** One pass, in the order the journals were created: one that posts may let a later one post. */
  run(): PostingRun {
    this.s.counters.postingJobRuns++;
    const result: PostingRun = { posted: [], failed: [] };
    try {
      for (const journal of [...this.toPost.keys()]) {
        if (journal.lines.length === 0) continue;
        const error = this.post(journal);
        const id = { dataAreaId: journal.dataAreaId, JournalNumber: journal.JournalNumber };
        if (error === null) result.posted.push(id);
        else result.failed.push({ ...id, message: error });
      }
    } finally {
      this.hooks.changed();
    }
    return result;
  }

  /** One attempt for a journal as a whole; answers the failure text, or null once posted. */
  private post(journal: JournalRecord): string | null {
    const { iv, counters } = this.s;
    const org = journal.dataAreaId;
    const running = new Map<string, number>();
    for (const line of journal.lines) {
      const dims = dimensionsFromLine(line);
      const key = JSON.stringify([line.ItemNumber, dimensionKey(dims)]);
      const onHand = running.get(key) ?? iv.scmOnHand(org, line.ItemNumber, dims);
      const next = onHand + line.InventoryQuantity;
      if (line.InventoryQuantity < 0 && next < 0) {
        const where = Object.entries(dims)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        const error =
          `Journal ${journal.JournalNumber}, line ${line.LineNumber}: inventory on-hand for item number ${line.ItemNumber} ` +
          `cannot become negative (${where}): on-hand ${onHand}, quantity ${line.InventoryQuantity}. Update has been canceled.`;
        journal.postingError = error;
        if (journal.postingAttemptsFailed === 0) counters.journalsPostError++;
        journal.postingAttemptsFailed++;
        counters.postingAttemptsFailed++;
        this.toPost.set(journal, iv.fnoVersion);
        return error;
      }
      running.set(key, next);
    }
    for (const line of journal.lines) {
      iv.apply(
        org,
        line.ItemNumber,
        dimensionsFromLine(line),
        'fno',
        'physicalinvent',
        line.InventoryQuantity,
      );
      if (this.offsetConfigured(line)) {
        this.hooks.schedule(this.s.settings.offsetLagMs, () => this.offset(org, line));
      }
    }
    this.toPost.delete(journal);
    const now = new Date(this.s.clock.now()).toISOString();
    journal.IsPosted = 'Yes';
    journal.PostedDateTime = `${now.slice(0, 19)}Z`;
    journal.PostedUserId = BATCH_USER;
    journal.postedAt = now;
    counters.journalsPosted++;
    if (journal.AreLinesDeletedAfterPosting === 'Yes') this.s.scm.journals.deleteLines(journal);
    return null;
  }

  private offsetConfigured(line: JournalLine): boolean {
    const ds = line.InventoryServiceAdjustmentOffsetDatasource.toLowerCase();
    const measure = line.InventoryServiceAdjustmentOffsetPhysicalMeasure.toLowerCase();
    if (ds === '' || measure === '') return false;
    return this.s.settings.offsetPairs.some(
      (p) => p.dataSource.toLowerCase() === ds && p.measure.toLowerCase() === measure,
    );
  }

  /** Takes the posted quantity back out of the external measure, at the line's SCM dimensions. */
  private offset(org: string, line: JournalLine): void {
    this.s.iv.apply(
      org,
      line.ItemNumber,
      dimensionsFromLine(line),
      line.InventoryServiceAdjustmentOffsetDatasource,
      line.InventoryServiceAdjustmentOffsetPhysicalMeasure,
      -line.InventoryQuantity,
    );
    this.s.counters.offsetsApplied++;
  }
}
