/**
 * The built preload, run the way a sandboxed preload runs: a bare JS context whose `require`
 * knows only 'electron' (here a recorder). It must expose exactly the bridge and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoreLedgerBridge } from '../../src/shared/bridge';
import { ensureBuilt, ROOT } from './harness';

type Listener = (event: unknown, data: unknown) => void;

function loadPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const required: string[] = [];
  let invokeResult: Promise<unknown> = Promise.resolve({ ok: true, value: 'pong' });
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return invokeResult;
      },
      on: (channel: string, listener: Listener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
    },
  };
  const source = fs.readFileSync(path.join(ROOT, 'out/preload/index.js'), 'utf8');
  const module = { exports: {} };
  const context = vm.createContext({
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require '${id}'`);
    },
  });
  vm.runInContext(source, context, { filename: 'preload/index.js' });
  return {
    exposed,
    invoked,
    listeners,
    required,
    setInvokeResult: (p: Promise<unknown>) => {
      invokeResult = p;
    },
  };
}

describe('preload bridge', () => {
  beforeAll(() => ensureBuilt());

  it('requires only electron and exposes exactly window.storeLedger = { invoke, on, platform }', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['storeLedger']);
    const bridge = exposed.get('storeLedger') as StoreLedgerBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'platform']);
    expect(bridge.platform).toBe('electron');
  });

  it('invoke goes to the rpc:<name> channel and turns a refusal into error data', async () => {
    const preload = loadPreload();
    const bridge = preload.exposed.get('storeLedger') as StoreLedgerBridge;
    expect(await bridge.invoke('lines.list', { top: 10 })).toEqual({ ok: true, value: 'pong' });
    expect(preload.invoked).toEqual([{ channel: 'rpc:lines.list', args: [{ top: 10 }] }]);

    preload.setInvokeResult(Promise.reject(new Error("No handler registered for 'rpc:nope'")));
    expect(await bridge.invoke('nope', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('on subscribes to a known event, hands over only the data, and unsubscribes', () => {
    const preload = loadPreload();
    const bridge = preload.exposed.get('storeLedger') as StoreLedgerBridge;
    const seen: unknown[] = [];
    const off = bridge.on('ledger.changed', (data) => seen.push(data));
    const registered = [...(preload.listeners.get('event:ledger.changed') ?? [])];
    expect(registered).toHaveLength(1);
    registered[0]!({ sender: 'ipc internals' }, { at: 'now' });
    expect(seen).toEqual([{ at: 'now' }]);
    off();
    expect(preload.listeners.get('event:ledger.changed')?.size).toBe(0);
    expect(() => bridge.on('not.an.event' as 'ledger.changed', () => undefined)).toThrow(/Unknown event/);
  });
});
