/** Cutting Created aggregated lines into data packages: the intent to send, in one transaction. */
import { nowIso } from '../../clock';
import { newRecordId } from '../../ledger/ids';
import type { BatchLine } from '../../ledger/journal-batches';
import type { SyncStore } from '../../ledger/sync-store';
import { add, type JobContext } from '../context';

export interface CutLimits {
  /** Fno sync max line count in adjustment journal. */
  maxLines: number;
  /** Fno sync max journal count in package (1 for a single-file profile). */
  journalsPerPackage: number;
}

export function cutLimits(settings: JobContext['settings']): CutLimits {
  const t = settings.transactions;
  return {
    maxLines: t.fnoSyncMaxLineCount,
    journalsPerPackage: t.scmImportProfile.kind === 'file' ? 1 : t.fnoSyncMaxJournalCountInPackage,
  };
}

/**
 * Cuts the Created aggregated lines into packages (docs/dynamics-contract.md §2). Lines whose
 * mapping targets None become DoNotSync. One transaction: the packages and the lines' FnOSent
 * are the intent to send.
 */
export function createBatches(
  ctx: Pick<JobContext, 'store' | 'settings' | 'counts' | 'clock'>,
): Promise<number> {
  const at = nowIso(ctx.clock);
  return ctx.store.write(() => {
    const send: BatchLine[] = [];
    const none: string[] = [];
    for (const line of ctx.store.batches.createdAggregated()) {
      if (line.target_transaction_status === 'None') none.push(line.aggregated_line_id);
      else send.push(line);
    }
    if (none.length > 0) {
      ctx.store.status.moveAggregated(
        none.map((id) => ({ id })),
        'DoNotSync',
        at,
        { status_reason: 'The mapping of this measure has target status None: nothing is created in SCM.' },
      );
    }
    const { batches } = cutBatches(ctx.store, send, cutLimits(ctx.settings), at, 0);
    add(ctx.counts, 'journalsCut', batches);
    return batches;
  });
}

const journalKey = (l: BatchLine) =>
  JSON.stringify([l.fno_journal_name_id?.toLowerCase() ?? null, l.target_transaction_status]);

/**
 * Groups lines into journals (one per company, journal name and expected status, at most
 * `maxLines` lines each), then packs each company's journals into packages of at most
 * `journalsPerPackage`, recording each package with its lines FnOSent. `readBackFirst` marks
 * packages whose lines may already be in SCM (a clerk's retry). Runs inside the caller's
 * transaction. The send step regroups a package's lines the same way.
 */
export function cutBatches(
  store: SyncStore,
  lines: readonly BatchLine[],
  limits: CutLimits,
  at: string,
  readBackFirst: 0 | 1,
): { batches: number; moved: number } {
  const byCompany = new Map<string, Map<string, BatchLine[]>>();
  for (const line of lines) {
    const company = line.organization_id.toLowerCase();
    const journals = byCompany.get(company) ?? new Map<string, BatchLine[]>();
    const group = journals.get(journalKey(line)) ?? [];
    group.push(line);
    journals.set(journalKey(line), group);
    byCompany.set(company, journals);
  }
  let batches = 0;
  let moved = 0;
  for (const groups of byCompany.values()) {
    const journals: BatchLine[][] = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += limits.maxLines)
        journals.push(group.slice(i, i + limits.maxLines));
    }
    for (let i = 0; i < journals.length; i += limits.journalsPerPackage) {
      const pack = journals.slice(i, i + limits.journalsPerPackage);
      const packLines = pack.flat();
      const first = packLines[0]!;
      const same = <K extends keyof BatchLine>(k: K) =>
        packLines.every((l) => l[k] === first[k]) ? first[k] : null;
      const batchId = newRecordId(Date.parse(at));
      store.batches.insert({
        batch_id: batchId,
        organization_id: first.organization_id,
        journal_name_id: same('fno_journal_name_id'),
        target_status: same('target_transaction_status'),
        line_count: packLines.length,
        journal_count: pack.length,
        read_back_first: readBackFirst,
        created_at: at,
      });
      moved += store.status.moveAggregated(
        packLines.map((l) => ({ id: l.aggregated_line_id })),
        'FnOSent',
        at,
        { journal_batch_id: batchId },
      ).moved.length;
      batches++;
    }
  }
  return { batches, moved };
}
