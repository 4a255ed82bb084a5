import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo, RpcEventName, RpcEvents } from '../shared/rpc';
import { ApprovalService } from './approvals/service';
import { AuditTrail } from './audit/trail';
import type { Clock } from './clock';
import type { SecretStore } from './config/secret-store';
import { SettingsService } from './config/settings-service';
import { CountService } from './counts/service';
import { writeDiagnosticsBundle } from './diagnostics/bundle';
import { DownloadOffers } from './downloads/offers';
import { DraftService } from './drafts/service';
import { EntryPipeline } from './ingest/pipeline';
import { LEDGER_FILE, Ledger } from './ledger';
import type { LedgerHealthMonitor } from './ledger/health';
import { MasterDataService } from './master-data/service';
import { OnHandService } from './onhand/service';
import { API_KEY_ENV, ApiKeyRegistry } from './people/api-keys';
import { PeopleService } from './people/service';
import { jsonFileBackend, type PreferenceBackend, PreferenceStore } from './preferences/preferences-store';
import { ReasonService } from './reasons/service';
import { createHandlers, type RpcHandlers, type SaveFile } from './rpc/handlers';
import { SyncEngine } from './sync/engine';
import type { SyncTiming } from './sync/timing';
import type { SyncService } from './sync/types';
import { Redactor } from './upstream/redaction';

export interface BusinessLayerOptions {
  dataDir: string;
  secrets: SecretStore;
  platform: AppInfo['platform'];
  version: string;
  /** better-sqlite3 built for Electron's ABI, when running inside Electron. */
  nativeBinding?: string;
  /** One more API key, held in memory only: STORE_LEDGER_API_KEY unless a test gives its own. */
  apiKeyOverride?: string;
  /** Upstream request timeout; tests shorten it. */
  upstreamTimeoutMs?: number;
  /** The sync's delays; tests and benchmarks shorten them (minutes become milliseconds). */
  syncTiming?: Partial<SyncTiming>;
  log?: (message: string, detail?: unknown) => void;
  /**
   * The time the ledger and the sync engine read and wait on: start-up passes the system's
   * (`systemClock`), tests one they move themselves.
   */
  clock: Clock;
  /** This PC's preferences; headless they live in preferences.json in the data directory. */
  preferenceBackend?: PreferenceBackend;
  /** The desktop shell's Save dialog (files.save); headless, files download through the browser. */
  saveFile?: SaveFile;
}

type Events = { [K in RpcEventName]: [RpcEvents[K]] };

/**
 * The whole business layer, with no Electron in it: the ledger, settings, the API key,
 * the sync engine, and the RPC handler table. Electron and the headless server both
 * build exactly this and only differ in how they expose it.
 */
export class BusinessLayer {
  readonly events = new EventEmitter<Events>();
  readonly settings: SettingsService;
  /** The store systems' API keys (people/api-keys.ts). */
  readonly apiKeys: ApiKeyRegistry;
  /** The store's people: how they sign in, the staff list, each window's session. */
  readonly people: PeopleService;
  readonly sync: SyncService;
  readonly masterData: MasterDataService;
  readonly drafts: DraftService;
  readonly onHand: OnHandService;
  readonly counts: CountService;
  /** The one way lines enter the ledger (ingest/pipeline.ts). */
  readonly entry: EntryPipeline;
  /** Who did what, chained with the lines (audit/trail.ts); dispatch tells it of every call. */
  readonly audit: AuditTrail;
  /** The store's reason codes, and the lines waiting for a manager's approval. */
  readonly reasons: ReasonService;
  readonly approvals: ApprovalService;
  readonly handlers: RpcHandlers;
  /** Disk faults of the ledger: degraded until a write goes through again. */
  readonly health: LedgerHealthMonitor;
  readonly preferences: PreferenceStore;
  /** Files written for the clerk to save: an XLSX export, a diagnostics bundle. */
  readonly downloads = new DownloadOffers();
  apiBaseUrl: string | null = null;
  private changeTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly ledger: Ledger,
    readonly options: BusinessLayerOptions,
  ) {
    this.health = ledger.healthMonitor();
    // Every committed write is announced by the ledger itself (its write gate).
    ledger.onChange(() => this.changed());
    this.settings = new SettingsService(ledger, options.secrets);
    const log = options.log ?? ((message: string, detail?: unknown) => console.error(message, detail ?? ''));
    this.apiKeys = new ApiKeyRegistry({
      ledger,
      secrets: options.secrets,
      environmentKey: options.apiKeyOverride ?? process.env[API_KEY_ENV],
      log,
    });
    this.people = new PeopleService({ ledger, secrets: options.secrets, log });
    this.people.start();
    this.sync = new SyncEngine({
      ledger,
      settings: this.settings,
      timeoutMs: options.upstreamTimeoutMs,
      ...(options.syncTiming && { timing: options.syncTiming }),
      clock: ledger.clock,
      onStatus: (status) => this.events.emit('sync.status', status),
      log: options.log ?? ((message, detail) => console.error(message, detail ?? '')),
    });
    this.preferences = new PreferenceStore(
      options.preferenceBackend ?? jsonFileBackend(options.dataDir),
      options.log ?? ((message) => console.error(message)),
    );
    this.masterData = new MasterDataService({
      ledger,
      settings: this.settings,
      timeoutMs: options.upstreamTimeoutMs,
      log: options.log ?? ((message, detail) => console.error(message, detail ?? '')),
      refreshed: () => this.changed(),
    });
    this.entry = new EntryPipeline({
      ledger,
      knowledge: (now) => this.masterData.knowledge(now),
      wrote: () => this.health.recovered(),
    });
    // lines.added: the IV job runs (at once for Instant update to IV); the grids heard the commit.
    this.entry.onLinesAdded(({ instantIv }) => this.sync.linesAdded(instantIv));
    this.drafts = new DraftService({ ledger, entry: this.entry });
    this.reasons = new ReasonService(ledger);
    this.approvals = new ApprovalService({ ledger, entry: this.entry });
    this.onHand = new OnHandService(ledger, this.settings);
    this.counts = new CountService({
      ledger,
      onHand: this.onHand,
      entry: this.entry,
    });
    this.audit = new AuditTrail({
      ledger,
      redact: (text) => this.redact(text),
      settings: () => this.settings.read(),
      log: (message) => log(message),
    });
    this.handlers = createHandlers({
      audit: this.audit,
      preferences: this.preferences,
      ledger,
      settings: this.settings,
      apiKeys: this.apiKeys,
      people: this.people,
      sync: this.sync,
      masterData: this.masterData,
      drafts: this.drafts,
      onHand: this.onHand,
      counts: this.counts,
      entry: this.entry,
      reasons: this.reasons,
      approvals: this.approvals,
      diagnostics: ({ full }) =>
        writeDiagnosticsBundle(this, { full, kept: this.settings.read().diagnosticsBundlesKept }),
      info: () => this.info(),
      health: this.health,
      nativeBinding: options.nativeBinding,
      downloads: this.downloads,
      ...(options.saveFile && { saveFile: options.saveFile }),
    });
  }

  static open(options: BusinessLayerOptions): BusinessLayer {
    const ledger = Ledger.open(options.dataDir, {
      nativeBinding: options.nativeBinding,
      clock: options.clock,
    });
    return new BusinessLayer(ledger, options);
  }

  /** The secrets the app knows blanked out of a text, as the diagnostics bundle does. */
  redact(text: string): string {
    const redactor = new Redactor();
    const secret = this.settings.connection()?.clientSecret;
    if (secret) redactor.addSecret(secret);
    for (const key of this.apiKeys.plainKeys()) redactor.addSecret(key);
    return redactor.redact(text);
  }

  info(): AppInfo {
    return {
      version: this.options.version,
      dataDir: this.options.dataDir,
      ledgerPath: path.join(this.options.dataDir, LEDGER_FILE),
      apiBaseUrl: this.apiBaseUrl,
      platform: this.options.platform,
      osUser: os.userInfo().username,
    };
  }

  /** Coalesces bursts (a 10,000-line POST, a sync run) into one refresh of the grids. */
  changed(): void {
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.events.emit('ledger.changed', { at: new Date().toISOString() });
    }, 100);
    this.changeTimer.unref();
  }

  async close(): Promise<void> {
    await this.masterData.stop();
    await this.sync.stop();
    this.health.stop();
    this.downloads.close();
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.ledger.close();
  }
}
