// The README's try-it, as its commands run it: `npm run emulator -- --no-posting-job` writes its
// provisioning file outside the project and prints one shell line with the emulator's address and
// that file; `npm run serve -- --data-dir … --port 0 --config "$EMULATOR_CONFIG"` prints one shell
// line with its own addresses. Then, without touching a setting, a count and a file import work:
// the emulator's file names the store's default organization, which both fill in.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/harness';
import { BUILT_SERVER, ensureBuiltServer } from '../helpers/built-server';

const KEY = 'try-it-key-0001';
const running: ChildProcess[] = [];

/** Starts a command and resolves with its output once a line matches `ready` (20 s at most). */
function start(args: string[], ready: RegExp, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${ready}' within 20 s:\n${out}`)), 20_000);
    const collect = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  return { child, output, exited, all: () => out };
}

/** The values of a printed `export A=… B='…'` line, as a POSIX shell reads them. */
function exported(out: string, prefix: RegExp): Record<string, string> {
  const line = out.split('\n').find((l) => prefix.test(l));
  if (!line) throw new Error(`no export line in:\n${out}`);
  const vars: Record<string, string> = {};
  for (const m of line.replace(prefix, '').matchAll(/(\w+)=('(?:[^']|'\\'')*'|\S+)/g)) {
    const raw = m[2]!;
    vars[m[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("'\\''", "'") : raw;
  }
  return vars;
}

let emulator: Record<string, string>;
let store: Record<string, string>;
let emulatorExited: Promise<number | null>;
let emulatorChild: ChildProcess;
let emulatorOutput: () => string;

beforeAll(async () => {
  ensureBuiltServer();
  const emu = start(
    ['node_modules/tsx/dist/cli.mjs', 'test/upstream-emulator/cli.ts', '--no-posting-job'],
    /^export EMULATOR=.*$/m,
  );
  emulator = exported(await emu.output, /^export /);
  emulatorExited = emu.exited;
  emulatorChild = emu.child;
  emulatorOutput = emu.all;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-ledger-try-it-'));
  const serve = start(
    [BUILT_SERVER, '--data-dir', dataDir, '--port', '0', '--config', emulator.EMULATOR_CONFIG!],
    /^For a shell: export .*$/m,
    { STORE_LEDGER_API_KEY: KEY },
  );
  store = exported(await serve.output, /^For a shell: export /);
  // Started with --config, the server initializes itself; Initialize waits for that run.
  await call('POST', '/initialize');
}, 90_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
});

async function call(method: string, route: string, body?: unknown, type = 'application/json') {
  const res = await fetch(`${store.STORE_LEDGER_API}${route}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe("the README's try-it", () => {
  it('the emulator writes its provisioning file outside the project, owner-only, and prints where', () => {
    const file = emulator.EMULATOR_CONFIG!;
    expect(emulator.EMULATOR).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(path.isAbsolute(file)).toBe(true);
    expect(file.startsWith(`${ROOT}${path.sep}`)).toBe(false);
    expect(file.startsWith(os.tmpdir())).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ defaultOrganizationId: 'usmf' });
  });

  it('serve prints its UI and API addresses as one shell line, whatever port it took', async () => {
    expect(store.STORE_LEDGER_UI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    expect(store.STORE_LEDGER_API).toBe(
      `${new URL(store.STORE_LEDGER_UI!).origin}/api/environment/00000000-0000-4000-8000-0000000000e1/transaction`,
    );
    expect((await fetch(`${new URL(store.STORE_LEDGER_UI!).origin}/health`)).status).toBe(200);
  });

  it('a count starts, records and applies without naming an organization or touching a setting', async () => {
    const created = await call('POST', '/counts', { reference: 'TRY-1', siteId: '1', locationId: '13' });
    expect(created.status).toBe(200);
    const count = created.body as { countId: string; organizationId: string };
    expect(count.organizationId).toBe('usmf');
    expect(
      (await call('POST', `/counts/${count.countId}/items`, { productId: 'D0001', counted: 97 })).status,
    ).toBe(200);
    const applied = await call('POST', `/counts/${count.countId}/apply`, {});
    expect(applied.status).toBe(200);
    expect((applied.body as { created: number }).created).toBe(1);
  });

  it('a CSV without an organization column is imported and posted', async () => {
    const csv = 'Item,Qty,Site,Warehouse\nD0003,4,1,11\nT0001,2,2,21\n';
    const res = await call('POST', '/drafts/import?fileName=delivery.csv&post=true', csv, 'text/csv');
    expect(res.status).toBe(200);
    expect((res.body as { created: number }).created).toBe(2);
    const lines = await call('GET', '/adjustment/lines?productId=T0001');
    expect((lines.body as { value: { organizationId: string }[] }).value).toEqual([
      expect.objectContaining({ organizationId: 'usmf' }),
    ]);
  });

  it('the emulator removes its provisioning folder when it stops', async () => {
    emulatorChild.kill('SIGTERM');
    expect(await emulatorExited, emulatorOutput()).toBe(0);
    expect(fs.existsSync(path.dirname(emulator.EMULATOR_CONFIG!))).toBe(false);
  });
});
