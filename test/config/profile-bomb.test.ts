// The data project's package is read off the event loop: a zip whose Manifest.xml unpacks far
// past its size (a 44 KB zip of a 45 MB manifest held the loop 4 s) is refused in words that
// say what to do, from the zip's directory or, when the directory understates, while it
// unpacks in the zip worker; the API keeps answering meanwhile, and a real package still loads.
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportedManifest } from '../helpers/exported-manifest';
import { type ApiFixture, startApi } from '../helpers/layer';
import { expectLoopFree, loopLagDuring } from '../helpers/loop-lag';
import { DEFAULT_DATA_PROJECT } from '../upstream-emulator';

let fx: ApiFixture;
beforeEach(async () => {
  fx = await startApi();
});
afterEach(async () => {
  await fx.close();
});

/** The project's own manifest, well-formed, padded to `mb` MB with blanks between its elements. */
function bombManifest(mb: number): Uint8Array {
  const real = exportedManifest(DEFAULT_DATA_PROJECT);
  const blanks = ' '.repeat(mb * 1024 * 1024 - real.length);
  return strToU8(real.replace('</PackageEntityList>', `${blanks}</PackageEntityList>`));
}

/** The zip's central directory says Manifest.xml unpacks to `size` bytes. */
function understate(zip: Uint8Array, size: number): Uint8Array {
  const out = Buffer.from(zip);
  const central = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  out.writeUInt32LE(size, central + 24);
  return out;
}

async function timedHealth(): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${fx.server.baseUrl}/health`);
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describe('loading the profile from a zip bomb', () => {
  const bomb = zipSync({ 'Manifest.xml': bombManifest(45) }, { level: 9 });

  it('refuses a 44 KB zip whose manifest unpacks to 45 MB in words, the loop never held', async () => {
    expect(bomb.length).toBeLessThan(64 * 1024);
    const before = fx.layer.settings.read().transactions.scmImportProfile;
    const probe = await loopLagDuring(() => fx.layer.settings.loadImportProfile(bomb));
    expect(probe.outcome.status).toBe('rejected');
    const refusal = (probe.outcome as PromiseRejectedResult).reason as { message: string; errors: unknown[] };
    expect(refusal.errors).toEqual([
      {
        field: 'scmImportProfile',
        message: expect.stringMatching(
          /^The package's Manifest\.xml unpacks to more than 200 times its packed size \(a zip bomb\): export only the data project/,
        ),
      },
    ]);
    expectLoopFree(probe, 150);
    expect(fx.layer.settings.read().transactions.scmImportProfile).toEqual(before);
  });

  it('refuses it while it unpacks when the directory understates it, /health answering meanwhile', async () => {
    const liar = understate(bomb, 40 * 1024);
    const loading = loopLagDuring(() => fx.layer.settings.loadImportProfile(liar));
    const health = await timedHealth();
    const probe = await loading;
    expect(probe.outcome.status).toBe('rejected');
    const refusal = (probe.outcome as PromiseRejectedResult).reason as { errors: { message: string }[] };
    expect(refusal.errors[0]!.message).toMatch(
      /^Manifest\.xml is larger than 16 MB \(a data project's is a few KB\): export only the data project/,
    );
    expect(health).toBeLessThan(500);
    expectLoopFree(probe, 200);
  });

  it('still loads a real package, in the worker, the loop free', async () => {
    const zip = zipSync({ 'Manifest.xml': strToU8(exportedManifest(DEFAULT_DATA_PROJECT)) });
    const probe = await loopLagDuring(() => fx.layer.settings.loadImportProfile(zip));
    expect(probe.outcome.status).toBe('fulfilled');
    expect(fx.layer.settings.read().transactions.scmImportProfile.projectName).toBe(
      DEFAULT_DATA_PROJECT.projectName,
    );
    expectLoopFree(probe, 200);
  });
});
