/** Initialize on request, and at a `--config` start, Initialize by itself until it holds. */
import type { InitializeResult } from '../../shared/sync-status';
import type { Clock, Timer } from '../clock';
import type { SettingsService } from '../config/settings-service';
import type { SyncStore } from '../ledger/sync-store';
import { backoffDelay } from './backoff';
import { initialize } from './initialize';
import type { SyncTiming } from './timing';
import type { UpstreamLinks } from './upstream-links';

export interface InitializerDeps {
  store: SyncStore;
  settings: SettingsService;
  links: UpstreamLinks;
  timing: SyncTiming;
  clock: Clock;
  stopping: () => boolean;
  pushStatus: () => void;
}

export class Initializer {
  /** The failed checks of the last Initialize, in words (shown while not initialized). */
  lastMessage: string | null = null;
  private auto = false;
  private timer: Timer | null = null;
  private failures = 0;
  private running: Promise<InitializeResult> | null = null;

  constructor(private readonly deps: InitializerDeps) {}

  initialize(): Promise<InitializeResult> {
    if (this.running) return this.running;
    this.running = initialize({
      store: this.deps.store,
      settings: this.deps.settings,
      clients: () => this.deps.links.clients(),
      reached: (service, reachable) => this.deps.links.reached(service, reachable),
    })
      .then((result) => {
        const failed = result.checks.filter((c) => !c.ok);
        this.lastMessage = failed.length > 0 ? failed.map((c) => `${c.label}: ${c.message}`).join(' ') : null;
        this.deps.pushStatus();
        return result;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  startAuto(): void {
    this.auto = true;
    this.schedule(0);
  }

  /** Settings changed; a new connection starts its retries from the first delay. */
  settingsChanged(connectionChanged: boolean): void {
    if (connectionChanged) this.failures = 0;
    if (this.auto && !this.deps.settings.read().isFeatureInitialized) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Initialize as soon as the settings allow, retrying with backoff until it holds. */
  private schedule(delayMs: number): void {
    if (!this.auto || this.deps.stopping()) return;
    this.timer?.cancel();
    // The attempt's promise goes back to the clock: a clock moved by a test waits for it.
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = null;
      if (this.deps.settings.read().isFeatureInitialized || this.deps.stopping()) return;
      // Incomplete settings: wait for the change that completes them.
      if (!this.deps.settings.connection()) return;
      return this.initialize().then((result) => {
        if (result.initialized) {
          this.failures = 0;
          return;
        }
        this.failures++;
        this.schedule(backoffDelay(this.failures, this.deps.timing));
      });
    }, delayMs);
  }
}
