import type { MasterDataOrganization, MasterDataStatus } from '../../shared/master-data';
import type { SettingsService } from '../config/settings-service';
import type { Ledger } from '../ledger';
import { isUpstreamError, MasterDataClient, ScmClient, TokenProvider } from '../upstream';
import { type EntryKnowledge, entryKnowledge } from './knowledge';

/** Hours between scheduled refreshes: item lists change daily at most in a store. */
export const MASTER_DATA_SCHEDULE_HOURS = 6;
/** After a start, the first scheduled look waits this long, so opening the app stays quick. */
const FIRST_LOOK_MS = 15_000;

export interface MasterDataDeps {
  ledger: Ledger;
  settings: SettingsService;
  timeoutMs?: number;
  log: (message: string, detail?: unknown) => void;
  /**
   * The refresh's own outcome changed (its last error lives here, not in the ledger): the
   * screens look again. What it stored the ledger announces itself.
   */
  refreshed: () => void;
}

/** Keeps the store's copy of SCM's master data: on demand, on a schedule, never during entry. */
export class MasterDataService {
  private running: Promise<MasterDataStatus> | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: MasterDataDeps) {}

  status(): MasterDataStatus {
    return {
      organizations: this.deps.ledger.masterData.refreshes().map(
        (r): MasterDataOrganization => ({
          organizationId: r.organization_id,
          refreshedAt: r.refreshed_at,
          counts: JSON.parse(r.counts) as MasterDataOrganization['counts'],
          notes: JSON.parse(r.notes) as string[],
        }),
      ),
      lastError: this.lastError,
      refreshing: this.running !== null,
      scheduleHours: MASTER_DATA_SCHEDULE_HOURS,
    };
  }

  /** The organizations to keep: the ones asked for, else the default, those already kept and those in recent lines. */
  organizations(asked?: readonly string[]): string[] {
    if (asked && asked.length > 0) return dedupe(asked);
    const { ledger } = this.deps;
    const out: string[] = [];
    const first = ledger.settings.read().defaultOrganizationId;
    if (first) out.push(first);
    out.push(...ledger.masterData.refreshes().map((r) => r.organization_id));
    out.push(...ledger.lines.recentValues().organization_id);
    return dedupe(out);
  }

  /** One refresh at a time; a second caller waits for the one in progress. */
  refresh(organizationIds?: readonly string[]): Promise<MasterDataStatus> {
    if (!this.running) {
      this.running = this.doRefresh(organizationIds).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async doRefresh(organizationIds?: readonly string[]): Promise<MasterDataStatus> {
    const conn = this.deps.settings.connection(this.deps.timeoutMs);
    if (!conn) {
      this.lastError = 'SCM is not set up yet (Settings → Connection): the item list cannot be loaded.';
      return this.status();
    }
    const orgs = this.organizations(organizationIds);
    if (orgs.length === 0) {
      this.lastError =
        'No organization to load: set a default organization under Settings, or enter a line first.';
      return this.status();
    }
    const client = new MasterDataClient(
      conn,
      new ScmClient(conn, new TokenProvider(conn)),
      this.deps.settings.read().transactions.journalNamesEntitySet,
    );
    const failures: string[] = [];
    for (const org of orgs) {
      try {
        const data = await client.read(org);
        const { ledger } = this.deps;
        await ledger.writeBulk(ledger.masterData.replacingOrganization(org, data, new Date().toISOString()));
      } catch (error) {
        failures.push(`${org}: ${isUpstreamError(error) ? error.message : 'unexpected error (see the log)'}`);
        if (!isUpstreamError(error)) this.deps.log('Master data refresh failed', error);
      }
    }
    this.lastError =
      failures.length > 0
        ? `The item list could not be loaded from SCM for ${failures.join('; ')}. The previous copy is kept.`
        : null;
    this.deps.refreshed();
    return this.status();
  }

  /** What the store's copy knows, for one request's lines (knowledge.ts). */
  knowledge(now: Date = new Date()): EntryKnowledge {
    return entryKnowledge(this.deps.ledger.masterData, now);
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.timer = setTimeout(tick, MASTER_DATA_SCHEDULE_HOURS * 3_600_000);
      this.timer.unref();
      if (!this.due()) return;
      this.refresh().catch((error) => this.deps.log('Scheduled master data refresh failed', error));
    };
    this.timer = setTimeout(tick, FIRST_LOOK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private due(): boolean {
    if (!this.deps.settings.connection()) return false;
    const refreshes = this.deps.ledger.masterData.refreshes();
    if (refreshes.length === 0) return true;
    const oldest = Math.min(...refreshes.map((r) => Date.parse(r.refreshed_at)));
    return Date.now() - oldest >= MASTER_DATA_SCHEDULE_HOURS * 3_600_000 - 60_000;
  }
}

function dedupe(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = v.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(v.trim());
  }
  return out;
}
