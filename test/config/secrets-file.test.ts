import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, SecretsFileError } from '../../src/main/config/secret-store';
import { Ledger } from '../../src/main/ledger';
import { ApiKeyRegistry } from '../../src/main/people/api-keys';
import { tempDir } from '../helpers/layer';

function storeWith(content: string): FileSecretStore {
  const file = path.join(tempDir(), 'secrets.json');
  fs.writeFileSync(file, content, { mode: 0o600 });
  return new FileSecretStore(file);
}

describe('a bad secrets file', () => {
  it.each([
    ['broken JSON', '{"apiKey":"sl_TOPSECRET-value', /is not valid JSON/],
    ['null', 'null', /must hold a JSON object/],
    ['an array', '["sl_TOPSECRET-value"]', /must hold a JSON object/],
    ['a number as the API key', '{"apiKey":12345}', /has an apiKey that is not a non-empty string/],
    ['an unknown entry', '{"sl_TOPSECRET-value":false}', /has an entry that is not a non-empty string/],
  ])('with %s is refused at start by name, never quoted', (_name, content, words) => {
    const store = storeWith(content);
    let error: unknown;
    try {
      store.check();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretsFileError);
    const message = (error as Error).message;
    expect(message).toMatch(words);
    expect(message).toContain(store.filePath);
    expect(message).not.toContain('TOPSECRET');
    expect(message).not.toContain('12345');
    // And the API keys built on it refuse too (reading the earlier key), instead of every call failing later.
    const ledger = Ledger.open(tempDir());
    try {
      expect(() => new ApiKeyRegistry({ ledger, secrets: store, log: () => {} })).toThrow(SecretsFileError);
    } finally {
      ledger.close();
    }
  });
});
