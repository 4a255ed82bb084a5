import fs from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { SecretStore } from '../config/secret-store';
import { AppError } from '../errors';

export const SECRETS_FILE = 'secrets.safe.json';

type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

interface SecretsFile {
  version: 1;
  /** name → base64 of safeStorage ciphertext. */
  entries: Record<string, string>;
}

export interface SafeStorageSecretStoreOptions {
  /**
   * Secrets that may live in memory for this run when the OS offers no encryption, instead of
   * refusing them (none since API keys became digests in the ledger; the badge index key is
   * refused, so badges wait for a keyring rather than being lost at every start).
   */
  memoryOnlyWhenUnavailable?: string[];
  log?: (message: string) => void;
}

/**
 * Electron secrets: each value encrypted by safeStorage (DPAPI on Windows, the keyring on
 * Linux), in one owner-only file in userData, written atomically. Never plaintext on disk:
 * without OS encryption, storing a secret is refused with a message the settings page shows.
 * The sync safeStorage calls are deprecated in favour of async ones, but SecretStore is
 * synchronous and the values are tiny.
 */
export class SafeStorageSecretStore implements SecretStore {
  private entries: Record<string, string> | null = null;
  private readonly memory = new Map<string, string>();
  private readonly decrypted = new Map<string, string>();

  constructor(
    readonly filePath: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly options: SafeStorageSecretStoreOptions = {},
  ) {}

  static unavailableMessage =
    'This computer offers no OS encryption for secrets (on Linux: no keyring such as GNOME Keyring or KWallet is running), so Store Ledger will not store this secret: it never writes secrets in plain text. Start a keyring and try again, or run the headless server, which keeps secrets in an owner-only file.';

  private load(): Record<string, string> {
    if (this.entries) return this.entries;
    try {
      const parsed = JSON.parse(fs.readFileSync(this.filePath, 'utf8')) as Partial<SecretsFile>;
      this.entries = parsed.version === 1 && parsed.entries ? { ...parsed.entries } : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.entries = {};
    }
    return this.entries;
  }

  get(name: string): string | null {
    if (this.memory.has(name)) return this.memory.get(name)!;
    if (this.decrypted.has(name)) return this.decrypted.get(name)!;
    const stored = this.load()[name];
    if (stored === undefined) return null;
    if (!this.safeStorage.isEncryptionAvailable()) return null;
    try {
      const value = this.safeStorage.decryptString(Buffer.from(stored, 'base64'));
      this.decrypted.set(name, value);
      return value;
    } catch {
      // Encrypted under another OS user or a lost keyring: treat as not set (it can be re-entered).
      this.options.log?.(
        `The stored secret '${name}' cannot be decrypted on this account; it must be set again`,
      );
      return null;
    }
  }

  set(name: string, value: string | null): void {
    const next = { ...this.load() };
    if (value === null) {
      delete next[name];
      this.memory.delete(name);
    } else if (this.safeStorage.isEncryptionAvailable()) {
      this.warnIfWeak();
      next[name] = this.safeStorage.encryptString(value).toString('base64');
      this.memory.delete(name);
    } else if (this.options.memoryOnlyWhenUnavailable?.includes(name)) {
      this.options.log?.(
        `No OS encryption available: the secret '${name}' is kept in memory for this run only`,
      );
      this.memory.set(name, value);
      this.decrypted.delete(name);
      return;
    } else {
      throw new AppError('not_configured', SafeStorageSecretStore.unavailableMessage);
    }
    this.write(next);
    if (value === null) this.decrypted.delete(name);
    else this.decrypted.set(name, value);
  }

  private write(entries: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    const temp = `${this.filePath}.tmp-${process.pid}`;
    const body: SecretsFile = { version: 1, entries };
    fs.writeFileSync(temp, JSON.stringify(body), { mode: 0o600 });
    fs.renameSync(temp, this.filePath);
    this.entries = entries;
  }

  private warned = false;
  private warnIfWeak(): void {
    if (this.warned || process.platform !== 'linux') return;
    this.warned = true;
    if (this.safeStorage.getSelectedStorageBackend() === 'basic_text') {
      this.options.log?.(
        'safeStorage uses its basic_text backend (no keyring found): secrets are obfuscated, not protected by the OS',
      );
    }
  }
}
