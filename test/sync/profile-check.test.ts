// The shipped import profile is a guess of SCM's data project: nothing is sent to SCM on it
// until Initialize has checked it against SCM's data management entities
// (DataManagementDefinitionGroupDetails), or the project's own export has been loaded. The
// clerk's lines wait safely meanwhile, and Initialize and Sync status say what to do.
import { describe, expect } from 'vitest';
import { exportedManifest } from '../helpers/exported-manifest';
import { seedLine } from '../helpers/layer';
import { syncTest } from '../helpers/sync-stack';
import { DEFAULT_DATA_PROJECT } from '../upstream-emulator';

const line = (id: string) => seedLine({ id, quantity: 2, dimensions: { siteId: '1', locationId: '13' } });

describe('the import profile before the first package', () => {
  syncTest("is checked against SCM's data project by Initialize, and then sent", async ({ stack }) => {
    const { l } = await stack.open({ start: 'no' });
    const profile = (await l.sync.initialize()).checks.find((c) => c.name === 'profile')!;
    expect(profile).toMatchObject({ ok: true });
    expect(profile.warning).toBeUndefined();
    expect(profile.message).toContain(
      `SCM's data project "${DEFAULT_DATA_PROJECT.projectName}" has the profile's entities, enabled, in CSV`,
    );
    l.sync.start();
    const [id] = stack.add([line('pc-1')]);
    await stack.syncUntilSettled();
    expect(stack.aggregatedOf(id!).status).toBe('FnOPosted');
  });

  syncTest(
    'sends nothing on the unchecked guess when data management cannot be read, says what to do, and sends once the export is loaded',
    async ({ stack }) => {
      const { l, emu } = await stack.open({ start: 'no' });
      emu.admin.updateSettings({ dataManagementReadable: false });
      const result = await l.sync.initialize();
      expect(result.initialized).toBe(true);
      const profile = result.checks.find((c) => c.name === 'profile')!;
      expect(profile).toMatchObject({ ok: true, warning: true });
      expect(profile.message).toContain("SCM's data management entities could not be read");
      expect(profile.message).toContain('SCM sending waits');

      l.sync.start();
      const [id] = stack.add([line('pc-2')]);
      const run = await l.sync.run('all');
      expect(run.runs.find((r) => r.job === 'iv')!.outcome).toBe('ok');
      expect(run.runs.find((r) => r.job === 'fno')!.message).toContain('SCM sending waits');
      expect(l.sync.status().jobs.fno.state).toBe('needsConfiguration');
      expect(emu.admin.counters().scmEnqueueCalls).toBe(0);
      expect(l.ledger.lines.get(id!)!.status).toBe('IVPosted');

      // Store IT loads the project's own export: sending starts, nothing was lost.
      await l.settings.loadImportProfile(new TextEncoder().encode(exportedManifest(DEFAULT_DATA_PROJECT)));
      await stack.syncUntilSettled();
      expect(stack.aggregatedOf(id!).status).toBe('FnOPosted');
    },
  );

  syncTest("says in words how SCM's data project differs from the profile", async ({ stack }) => {
    const { l, emu } = await stack.open({ start: 'no' });
    emu.admin.setDataProject({
      ...DEFAULT_DATA_PROJECT,
      lines: { ...DEFAULT_DATA_PROJECT.lines, entityName: 'Inventory Visibility adjustment journal lines' },
    });
    const profile = (await l.sync.initialize()).checks.find((c) => c.name === 'profile')!;
    expect(profile).toMatchObject({ ok: true, warning: true });
    expect(profile.message).toContain(
      'it has no entity "Inventory service adjustment journal entry" (it has "Inventory service adjustment journal header", "Inventory Visibility adjustment journal lines")',
    );
  });
});
