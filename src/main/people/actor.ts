import os from 'node:os';
import type { ActorView, LineAuthor } from '../../shared/people';

/**
 * Who is acting on a call: a person signed in on this window, a store system (its API key), or
 * the computer's user in single-clerk mode (who may do everything, as before people). The same
 * shape as the UI sees (`ActorView`); `id` is stable for a person or a key.
 */
export type Actor = ActorView;

/** How a transport tells dispatch who calls. */
export interface Caller {
  /** The session this call carries (the HTTP header, or the window's own slot over IPC), or null. */
  session: string | null;
  /** A store system whose API key the local API already checked. */
  system?: Actor;
  /**
   * Keeps a new session (or none) for this caller's next calls, where the transport keeps it:
   * a response header for the browser, the window's slot in main for the desktop app.
   */
  bind?: (session: string | null) => void;
}

/** The computer's user, as single-clerk mode acts (every right: nobody signs in). */
export function osUserActor(): Actor {
  return { kind: 'os-user', id: null, name: os.userInfo().username, role: 'administrator' };
}

/** The author a line records for this actor. */
export function authorOf(actor: Actor): LineAuthor {
  return { kind: actor.kind, id: actor.id, name: actor.name };
}

/** Whether this actor wrote that line: by stable ID (a person or a key), never by name. */
export function isAuthor(actor: Actor, line: { createdById?: string | null }): boolean {
  return actor.id !== null && line.createdById === actor.id;
}
