/**
 * Files through the desktop window, with the built main bundle against the stand-in electron:
 * a file goes to main as a Uint8Array by structured clone (no base64, no JSON), and a workbook
 * comes back through the Save dialog, copied by main, never as bytes over IPC.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { deliveryCsv } from '../helpers/big-files';
import { type ShellProcess, shellLauncher, singleClerk, tempDir } from './harness';

const { launch: launchShell, dirs } = shellLauncher();
const launch = (): ShellProcess => launchShell().p;

describe('files in the desktop window', () => {
  it('imports a 15 MB CSV sent as a Uint8Array over IPC', async () => {
    const p = launch();
    await p.loaded();
    await singleClerk(p);
    const draft = await p.call<{ draftId: string }>('drafts.create', { name: 'From the window' });
    const { csv, rows } = deliveryCsv(15 * 1024 * 1024);
    const added = await p.call<{ added: number; errors: unknown[] }>('drafts.import', {
      draftId: draft.draftId,
      fileName: 'big.csv',
      content: new Uint8Array(csv),
    });
    expect(added).toMatchObject({ added: rows, errors: [] });
    // Base64 text is not a file any more, and says so by field.
    const old = await p.invoke('drafts.import', {
      draftId: draft.draftId,
      fileName: 'big.csv',
      content: csv.subarray(0, 100).toString('base64'),
    });
    expect(old).toMatchObject({
      value: { ok: false, error: { errors: [{ field: 'content', message: "must be the file's bytes" }] } },
    });
  }, 120_000);

  it('saves an export where the person chose in the Save dialog; cancelled, nothing is written', async () => {
    const p = launch();
    await p.loaded();
    await singleClerk(p);
    await p.call('settings.update', { environmentId: 'env-files' });
    const offer = await p.call<{ downloadId: string; fileName: string; bytes: number }>('export.xlsx', {
      kind: 'lines',
      query: {},
    });
    expect(Object.keys(offer).sort()).toEqual(['bytes', 'downloadId', 'fileName']);
    const target = path.join(tempDir('store-ledger-saved-'), 'my lines.xlsx');
    dirs.push(path.dirname(target));
    await p.command('saveAs', { filePath: target });
    expect(await p.call('files.save', { downloadId: offer.downloadId })).toEqual({ savedTo: target });
    const saved = fs.readFileSync(target);
    expect(saved.length).toBe(offer.bytes);
    expect(Object.keys(unzipSync(new Uint8Array(saved)))).toContain('xl/worksheets/sheet1.xml');
    const dialog = (await p.state()).saveDialogs[0]!;
    expect(dialog.withWindow).toBe(true);
    expect(dialog.options.defaultPath).toMatch(/Downloads[/\\]adjustment-lines\.xlsx$/);
    expect(dialog.options.filters).toEqual([{ name: 'Excel workbook', extensions: ['xlsx'] }]);
    // Once.
    expect(await p.invoke('files.save', { downloadId: offer.downloadId })).toMatchObject({
      value: { ok: false, error: { code: 'not_found' } },
    });

    const next = await p.call<{ downloadId: string }>('export.xlsx', { kind: 'aggregated', query: {} });
    expect(await p.call('files.save', { downloadId: next.downloadId })).toEqual({ savedTo: null });
  }, 60_000);
});
