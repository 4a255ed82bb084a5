import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from './secret-store';

export const API_KEY_SECRET = 'apiKey';
export const API_KEY_ENV = 'STORE_LEDGER_API_KEY';
/** Who wrote a line that came through the API (its `createdBy`): the key's label, never the key. */
export const API_KEY_LABEL = 'local-api-key';

/** The local API's key: generated at first start, or set by STORE_LEDGER_API_KEY. */
export class ApiKeyService {
  constructor(
    private readonly secrets: SecretStore,
    private readonly override: string | undefined = process.env[API_KEY_ENV],
  ) {
    if (!this.override && !this.secrets.get(API_KEY_SECRET)) this.regenerate();
  }

  get source(): 'environment' | 'generated' {
    return this.override ? 'environment' : 'generated';
  }

  current(): string {
    return this.override || this.secrets.get(API_KEY_SECRET)!;
  }

  /** With the environment override in force the key is the operator's: regenerating keeps it. */
  regenerate(): string {
    if (this.override) return this.override;
    const key = `sl_${randomBytes(24).toString('base64url')}`;
    this.secrets.set(API_KEY_SECRET, key);
    return key;
  }

  matches(candidate: string | undefined): boolean {
    if (!candidate) return false;
    const expected = Buffer.from(this.current());
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
