/** Credentials never leave in a message: what a secret or a token looks like, and the ones we know. */
const REDACTED = '[redacted]';
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const BEARER = /(bearer\s+)[^\s"',;]+/gi;
const CREDENTIAL_FIELD =
  /((?:access_token|client_secret|client_assertion|refresh_token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi;

/** Removes anything shaped like a credential (JWTs, bearer values, credential fields). */
export function scrubCredentials(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(CREDENTIAL_FIELD, `$1${REDACTED}`);
}

/** Knows the client secret and the tokens recently issued, and blanks them out of any text. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens: string[] = [];

  addSecret(secret: string): void {
    // Very short values would blank out ordinary words; such a secret is not a secret anyway.
    if (secret.length >= 3) this.secrets.add(secret);
  }

  addToken(token: string): void {
    if (token.length < 3 || this.tokens.includes(token)) return;
    this.tokens.push(token);
    if (this.tokens.length > 16) this.tokens.shift();
  }

  redact(text: string): string {
    let out = text;
    for (const s of [...this.secrets, ...this.tokens]) {
      for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) {
        out = out.split(form).join(REDACTED);
      }
    }
    return scrubCredentials(out);
  }
}
