/**
 * How PINs, badges and API keys are kept: never as written.
 *
 * - A PIN or a badge's barcode is a low-entropy secret: it is kept as scrypt with a salt of its
 *   own (https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback),
 *   with parameters OWASP lists as equal to its minimum (N=2^15, r=8, p=3: 32 MiB and
 *   three passes rather than 128 MiB once, so a till PC is not asked for 128 MiB a sign-in;
 *   https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt).
 *   The asynchronous call runs in libuv's thread pool, so hashing never holds the event loop.
 *   The stored string names its parameters (`scrypt$N$r$p$salt$hash`), so they can grow later
 *   without making older hashes unreadable.
 * - A badge is also found by an index, HMAC-SHA256 of the barcode under a key kept outside the
 *   ledger (the secret store): signing in with a badge looks up one row instead of trying every
 *   person's slow hash, and a copy of the ledger file alone cannot be searched for badges.
 * - An API key is 192 random bits: a fast SHA-256 digest cannot be searched back, and the
 *   local API checks a key on every request, where a slow hash would cost every store system.
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

/**
 * Hashes at once: libuv's pool has 4 threads (https://docs.libuv.org/en/v1.x/threadpool.html)
 * that file reads and writes share; 20 sign-ins at once must leave them some.
 */
const HASHES_AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASHES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function scryptAsync(
  secret: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return inTurn(() => scryptOnce(secret, salt, params));
}

function scryptOnce(
  secret: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      secret.normalize('NFC'),
      salt,
      KEY_LENGTH,
      // 128·N·r bytes are needed; Node's default ceiling (32 MiB) is below OWASP's N.
      { ...params, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** A slow hash of a PIN or a badge, with a salt of its own. */
export async function slowHash(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(secret, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `secret` is the one hashed, compared in constant time; a malformed hash never matches. */
export async function slowVerify(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64'), params);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash nobody's secret matches: an unknown badge costs as long as a known one. */
let decoy: Promise<string> | null = null;
export async function spendLikeAVerify(secret: string): Promise<void> {
  decoy ??= slowHash(randomBytes(16).toString('hex'));
  await slowVerify(secret, await decoy);
}

/** The index a badge is found by: keyed, so it means nothing without the key. */
export function badgeIndex(key: Buffer, badge: string): string {
  return createHmac('sha256', key).update(badge.normalize('NFC')).digest('hex');
}

/** Tells whether the index key at hand is the one the ledger's badges were indexed with. */
export function indexKeyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('store-ledger badge index check').digest('hex').slice(0, 16);
}

export function newIndexKey(): Buffer {
  return randomBytes(32);
}

/** An API key: `sl_` and 192 random bits, base64url. */
export function newApiKey(): string {
  return `sl_${randomBytes(24).toString('base64url')}`;
}

export function apiKeyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A session's token: 256 random bits. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** IDs that say what they name: p_… a person, k_… an API key. */
export function newId(prefix: 'p' | 'k'): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
