import fs from 'node:fs';
import path from 'node:path';

/** Where secrets live: an owner-only file headless, OS-keychain encryption in Electron. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string | null): void;
}

/** The secrets file cannot be used. Its name and what is wrong, never a byte of its content. */
export class SecretsFileError extends Error {
  constructor(
    readonly filePath: string,
    problem: string,
  ) {
    super(
      `The secrets file ${filePath} ${problem}. Fix it or remove it (a removed file means re-entering the client secret under Settings, and scanning badges again under People).`,
    );
    this.name = 'SecretsFileError';
  }
}

/**
 * Headless secrets: one JSON file, mode 0600, written atomically (temp file + rename) so a
 * crash never leaves half a file. Never logged, never exported.
 */
export class FileSecretStore implements SecretStore {
  private cache: Record<string, string> | null = null;

  constructor(readonly filePath: string) {}

  private load(): Record<string, string> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new SecretsFileError(this.filePath, `cannot be read (${code})`);
      this.cache = {};
      return this.cache;
    }
    this.cache = parseSecrets(this.filePath, text);
    return this.cache;
  }

  /** Reads the file now, so a bad one stops the start with words instead of failing every call later. */
  check(): void {
    this.load();
  }

  get(name: string): string | null {
    return this.load()[name] ?? null;
  }

  set(name: string, value: string | null): void {
    const next = { ...this.load() };
    if (value === null) delete next[name];
    else next[name] = value;
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temp = `${this.filePath}.tmp-${process.pid}`;
    try {
      fs.writeFileSync(temp, JSON.stringify(next), { mode: 0o600 });
      fs.renameSync(temp, this.filePath);
    } catch (error) {
      // A full disk must not leave a half-written temp file behind.
      fs.rmSync(temp, { force: true });
      throw error;
    }
    this.cache = next;
  }
}

/**
 * The file must hold one JSON object of names to non-empty strings. JSON.parse's own
 * message quotes the content, so it is never passed on: only where and what.
 */
/** Names Store Ledger writes; any other name is content and is not repeated. */
const KNOWN_NAMES = new Set(['apiKey', 'clientSecret', 'peopleIndexKey']);

function parseSecrets(filePath: string, text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SecretsFileError(filePath, 'is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SecretsFileError(filePath, 'must hold a JSON object of names to strings');
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(value)) {
    if (typeof secret !== 'string' || secret === '')
      throw new SecretsFileError(
        filePath,
        `has ${KNOWN_NAMES.has(name) ? `an ${name}` : 'an entry'} that is not a non-empty string`,
      );
    out[name] = secret;
  }
  return out;
}
