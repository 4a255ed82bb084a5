import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ActorView, SessionView } from '../../../shared/people';
import type { RpcName } from '../../../shared/rpc';
import { whyNot } from '../../../shared/rpc-roles';
import { onSignedOut, rpc } from '../rpc/client';
import { errorMessage } from '../rpc/errors';

interface SessionValue {
  /** null until main answered. */
  session: SessionView | null;
  actor: ActorView | null;
  /** Why the window is on its sign-in screen (locked after idle minutes, signed out elsewhere). */
  notice: string | null;
  /** Main could not be asked (the run's token is stale, Store Ledger stopped). */
  failure: string | null;
  adopt: (view: SessionView, notice?: string | null) => void;
  /** Signs this window's person out: the next person signs in. */
  lock: (notice?: string | null) => Promise<void>;
  /** Why this person may not do that (the role it needs, in words), or null. */
  whyNot: (name: RpcName) => string | null;
}

const SessionContext = createContext<SessionValue>({
  session: null,
  actor: null,
  notice: null,
  failure: null,
  adopt: () => {},
  lock: async () => {},
  whyNot: () => null,
});

/** What counts as the person still being at the window. */
const ACTIVITY = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Who is signed in on this window, and the auto-lock: after the setting's minutes without a key
 * press or a click the window signs its person out and shows the sign-in screen, saying why. Main
 * checks every call's role whatever this shows; hiding and disabling here only spares the clerk
 * a refusal.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const adopt = useCallback((view: SessionView, next: string | null = null) => {
    setSession(view);
    setNotice(next);
  }, []);

  const refresh = useCallback(
    (next: string | null = null) =>
      rpc('session.get', {}).then(
        (view) => {
          setFailure(null);
          adopt(view, view.actor ? null : next);
        },
        (e: unknown) => setFailure(errorMessage(e)),
      ),
    [adopt],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);
  // Main ended the session (idle, restarted): back to signing in, with its words.
  useEffect(() => onSignedOut((message) => void refresh(message)), [refresh]);

  const lock = useCallback(
    async (next: string | null = null) => {
      try {
        adopt(await rpc('session.signOut', {}), next);
      } catch (e) {
        setFailure(errorMessage(e));
      }
    },
    [adopt],
  );

  const minutes = session?.autoLockMinutes ?? 0;
  const signedIn = session?.mode === 'people' && session.actor !== null;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!signedIn || minutes <= 0) return;
    const arm = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(
        () => void lock(`Locked after ${minutes} minute${minutes === 1 ? '' : 's'} without use.`),
        minutes * 60_000,
      );
    };
    arm();
    for (const event of ACTIVITY) window.addEventListener(event, arm, { capture: true, passive: true });
    return () => {
      if (timer.current) clearTimeout(timer.current);
      for (const event of ACTIVITY) window.removeEventListener(event, arm, { capture: true });
    };
  }, [signedIn, minutes, lock]);

  const actor = session?.actor ?? null;
  const why = useCallback((name: RpcName) => whyNot(actor, name), [actor]);
  return (
    <SessionContext.Provider value={{ session, actor, notice, failure, adopt, lock, whyNot: why }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  return useContext(SessionContext);
}
