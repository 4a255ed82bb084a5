import fs from 'node:fs';
import path from 'node:path';

/** Where secrets live: an owner-only file headless, OS-keychain encryption in Electron. */
export interface SecretStore {
  get(name: string): string | null;
  set(name: string, value: string | null): void;
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
    try {
      this.cache = JSON.parse(fs.readFileSync(this.filePath, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.cache = {};
    }
    return this.cache;
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
    fs.writeFileSync(temp, JSON.stringify(next), { mode: 0o600 });
    fs.renameSync(temp, this.filePath);
    this.cache = next;
  }
}
