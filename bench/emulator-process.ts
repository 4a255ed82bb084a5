import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../test/upstream-emulator';
import { ROOT } from './harness';

export interface EmulatorProcess {
  url: string;
  /** The provisioning file the emulator wrote for it (provisioningConfig). */
  config: string;
  child: ChildProcess;
}

/**
 * The emulator in its own process, as IV and SCM are: its work must not count as the server's
 * loop time. `catalog`, when given, replaces the demo catalog (written beside the config).
 */
export async function startEmulatorProcess(
  dir: string,
  options: { catalog?: Catalog; postingIntervalMs?: number } = {},
): Promise<EmulatorProcess> {
  const config = path.join(dir, 'emulator.json');
  const catalogArgs: string[] = [];
  if (options.catalog) {
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, JSON.stringify(options.catalog));
    catalogArgs.push('--catalog', file);
  }
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      path.join(ROOT, 'test/upstream-emulator/cli.ts'),
      ...['--port', '0', '--write-config', config, '--import-delay-ms', '30'],
      ...['--posting-interval-ms', String(options.postingIntervalMs ?? 60), '--seed', '11'],
      ...catalogArgs,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = /Upstream emulator: (\S+)/.exec(out);
      if (found && fs.existsSync(config)) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${out}`)));
  });
  return { url, config, child };
}

/** The emulator's admin API (test/upstream-emulator/admin.ts). */
export async function admin<T>(url: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/admin/${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`emulator admin ${route} answered ${res.status}`);
  return (await res.json()) as T;
}
