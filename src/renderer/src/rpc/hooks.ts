import { useCallback, useEffect, useRef, useState } from 'react';
import type { RpcEventName, RpcEvents, RpcInput, RpcName, RpcOutputs } from '../../../shared/rpc';
import { onEvent, rpc } from './client';
import type { RpcError } from './errors';

export interface RpcQuery<T> {
  data: T | undefined;
  error: RpcError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs an RPC whenever its input changes (compared as JSON) and on reload(). An answer
 * that arrives after a newer request started is dropped, so fast filter typing never
 * shows an older page.
 */
export function useRpc<N extends RpcName>(name: N, input: RpcInput<N> | null): RpcQuery<RpcOutputs[N]> {
  const [data, setData] = useState<RpcOutputs[N]>();
  const [error, setError] = useState<RpcError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [nonce, setNonce] = useState(0);
  const key = input === null ? null : JSON.stringify(input);
  const latest = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the reload trigger
  useEffect(() => {
    if (key === null) return;
    const request = ++latest.current;
    setLoading(true);
    rpc(name, JSON.parse(key) as RpcInput<N>).then(
      (value) => {
        if (request !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: RpcError) => {
        if (request !== latest.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [name, key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Subscribes to a pushed event for the component's lifetime. */
export function useEvent<E extends RpcEventName>(event: E, listener: (data: RpcEvents[E]) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => onEvent(event, (data) => ref.current(data)), [event]);
}

/** Calls back after the ledger changed, at most every `waitMs` (a sync run changes many lines). */
export function useLedgerChanged(callback: () => void, waitMs = 400): void {
  const ref = useRef(callback);
  ref.current = callback;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  useEvent('ledger.changed', () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      ref.current();
    }, waitMs);
  });
}
