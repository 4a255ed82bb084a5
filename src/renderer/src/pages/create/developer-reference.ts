import type { AdjustmentLineInput } from '../../../../shared/adjustment';

export interface DeveloperReference {
  url: string | null;
  single: string;
  bulk: string;
  curl: string | null;
  /** Why no URL or curl could be built. */
  missing: string | null;
}

/** `it's` → `'it'\''s'`: a POSIX shell single-quoted word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The API's bulk URL for this ledger, from `app.info().apiBaseUrl` and the environment ID. */
export function bulkUrl(
  apiBaseUrl: string | null,
  environmentId: string | null,
  instant: boolean,
): string | null {
  if (!apiBaseUrl || !environmentId) return null;
  const base = apiBaseUrl.replace('{environmentId}', encodeURIComponent(environmentId));
  return `${base}/adjustment/bulk${instant ? '?createWithIVSync=true' : ''}`;
}

/**
 * *Developer reference*, as the business layer's form has it: the exact body for what is on
 * the form, as one line and
 * as a bulk array (a second line shows where more go), and a curl command against this ledger.
 */
export function developerReference(options: {
  line: AdjustmentLineInput;
  instant: boolean;
  apiBaseUrl: string | null;
  environmentId: string | null;
  apiKey: string | null;
}): DeveloperReference {
  const { line, instant, apiBaseUrl, environmentId, apiKey } = options;
  const single = JSON.stringify(line, null, 2);
  const second = { ...line, id: `${String(line.id)}-2` };
  const bulk = JSON.stringify([line, second], null, 2);
  const url = bulkUrl(apiBaseUrl, environmentId, instant);
  const missing = !environmentId
    ? 'Set the environment ID under Settings to get the API address.'
    : !apiBaseUrl
      ? 'The local API is not listening, so there is no address to call.'
      : null;
  const curl = url
    ? [
        `curl -sS -X POST ${shellQuote(url)}`,
        `  -H ${shellQuote(`Authorization: Bearer ${apiKey ?? '<API key from Settings → API keys>'}`)}`,
        `  -H 'Content-Type: application/json'`,
        `  --data-binary ${shellQuote(JSON.stringify([line]))}`,
      ].join(' \\\n')
    : null;
  return { url, single, bulk, curl, missing };
}
