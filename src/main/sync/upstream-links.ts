/** Where the engine stands with IV and SCM: one client pair per connection, and online/offline. */
import type { UpstreamState } from '../../shared/sync-status';
import type { SettingsService } from '../config/settings-service';
import { IvClient, ScmClient, TokenProvider } from '../upstream';
import { classify } from './errors';

export interface Clients {
  key: string;
  iv: IvClient;
  scm: ScmClient;
}

export type Service = 'iv' | 'scm';

export class UpstreamLinks {
  private cache: Clients | null = null;
  private connectionKey: string | null;
  private states: Record<Service, UpstreamState>;

  constructor(
    private readonly settings: SettingsService,
    private readonly timeoutMs: number | undefined,
    /** A state changed: the status is pushed. */
    private readonly onChange: () => void,
  ) {
    this.connectionKey = this.currentKey();
    this.states = this.fresh();
  }

  get state(): Record<Service, UpstreamState> {
    return this.states;
  }

  /** The clients for the current connection settings (reused while they stay the same), or null while incomplete. */
  clients(): Clients | null {
    const conn = this.settings.connection(this.timeoutMs);
    if (!conn) return null;
    const key = JSON.stringify(conn);
    if (this.cache?.key !== key) {
      const tokens = new TokenProvider(conn);
      this.cache = { key, iv: new IvClient(conn, tokens), scm: new ScmClient(conn, tokens) };
    }
    return this.cache;
  }

  /** After a settings change: a new connection starts from "unknown". Answers whether it changed. */
  settingsChanged(): boolean {
    const key = this.currentKey();
    if (key === this.connectionKey) return false;
    this.connectionKey = key;
    this.cache = null;
    this.states = this.fresh();
    return true;
  }

  reached(service: Service, reachable: boolean): void {
    const next: UpstreamState = reachable ? 'online' : 'offline';
    if (this.states[service] === next) return;
    this.states = { ...this.states, [service]: next };
    this.onChange();
  }

  /** A cheap call that keeps the indicator true while idle; answers why it failed, or null. */
  async probe(service: Service, clients: Clients): Promise<string | null> {
    try {
      await (service === 'iv' ? clients.iv.ping() : clients.scm.ping());
      this.reached(service, true);
      return null;
    } catch (error) {
      const c = classify(error);
      if (c.offline) this.reached(service, false);
      return c.message;
    }
  }

  private currentKey(): string | null {
    const conn = this.settings.connection();
    return conn ? JSON.stringify(conn) : null;
  }

  private fresh(): Record<Service, UpstreamState> {
    return this.connectionKey === null
      ? { iv: 'unconfigured', scm: 'unconfigured' }
      : { iv: 'unknown', scm: 'unknown' };
  }
}
