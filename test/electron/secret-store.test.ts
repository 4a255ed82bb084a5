import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore } from '../../src/main/electron/secret-store';
import { AppError } from '../../src/main/errors';
import { tempDir } from './harness';

/** safeStorage stand-in: reversible, and visibly not plaintext. */
function fakeSafeStorage(available = true) {
  return {
    available,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString: (text: string) => Buffer.from(`enc:${Buffer.from(text).toString('hex')}`),
    decryptString: (buffer: Buffer) => {
      const text = buffer.toString();
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
      return Buffer.from(text.slice(4), 'hex').toString();
    },
    getSelectedStorageBackend: () => 'gnome_libsecret' as const,
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function file(): string {
  const dir = tempDir('store-ledger-secrets-');
  dirs.push(dir);
  return path.join(dir, 'secrets.safe.json');
}

describe('SafeStorageSecretStore', () => {
  it('round-trips through an owner-only file without plaintext, and deletes', () => {
    const target = file();
    const store = new SafeStorageSecretStore(target, fakeSafeStorage());
    store.set('clientSecret', 'hunter2-secret');
    expect(store.get('clientSecret')).toBe('hunter2-secret');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(target, 'utf8')).not.toContain('hunter2-secret');
    expect(fs.readdirSync(path.dirname(target))).toEqual(['secrets.safe.json']);

    const reopened = new SafeStorageSecretStore(target, fakeSafeStorage());
    expect(reopened.get('clientSecret')).toBe('hunter2-secret');
    reopened.set('clientSecret', null);
    expect(new SafeStorageSecretStore(target, fakeSafeStorage()).get('clientSecret')).toBeNull();
  });

  it('refuses to store without OS encryption, except names allowed in memory for this run', () => {
    const target = file();
    const logs: string[] = [];
    const store = new SafeStorageSecretStore(target, fakeSafeStorage(false), {
      memoryOnlyWhenUnavailable: ['apiKey'],
      log: (m) => logs.push(m),
    });
    expect(() => store.set('clientSecret', 'x-secret')).toThrow(AppError);
    expect(() => store.set('clientSecret', 'x-secret')).toThrow(/plain text/);
    expect(store.get('clientSecret')).toBeNull();
    store.set('apiKey', 'sl_memory');
    expect(store.get('apiKey')).toBe('sl_memory');
    expect(fs.existsSync(target)).toBe(false);
    expect(logs.join('\n')).toContain('in memory for this run only');
  });

  it('treats a value it cannot decrypt (another account, a lost keyring) as not set', () => {
    const target = file();
    fs.writeFileSync(
      target,
      JSON.stringify({ version: 1, entries: { clientSecret: Buffer.from('garbage').toString('base64') } }),
    );
    const logs: string[] = [];
    const store = new SafeStorageSecretStore(target, fakeSafeStorage(), { log: (m) => logs.push(m) });
    expect(store.get('clientSecret')).toBeNull();
    expect(logs.join('\n')).toContain('cannot be decrypted');
    store.set('clientSecret', 'new-one');
    expect(new SafeStorageSecretStore(target, fakeSafeStorage()).get('clientSecret')).toBe('new-one');
  });
});
