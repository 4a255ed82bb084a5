import type { Clock } from '../clock';
import { newSessionToken } from './hashing';

export interface Session {
  personId: string;
  startedAt: number;
  lastSeenAt: number;
}

/**
 * A window's person, kept in main's memory only: a token names it (256 random bits), and it ends
 * when the window signs out, after the auto-lock minutes without any call (a window closed or
 * left behind), when the person is deactivated, or when Store Ledger stops. Nothing of it is
 * written to disk.
 */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  start(personId: string): string {
    const token = newSessionToken();
    const now = this.clock.now();
    this.sessions.set(token, { personId, startedAt: now, lastSeenAt: now });
    return token;
  }

  /**
   * The session behind a token, seen now; `expired` when it was left idle longer than `idleMs`
   * (it ends then).
   */
  use(token: string, idleMs: number): Session | 'expired' | null {
    const session = this.sessions.get(token);
    if (!session) return null;
    const now = this.clock.now();
    if (now - session.lastSeenAt > idleMs) {
      this.sessions.delete(token);
      return 'expired';
    }
    session.lastSeenAt = now;
    return session;
  }

  end(token: string | null): void {
    if (token) this.sessions.delete(token);
  }

  endFor(personId: string): void {
    for (const [token, s] of this.sessions) if (s.personId === personId) this.sessions.delete(token);
  }

  get size(): number {
    return this.sessions.size;
  }
}
