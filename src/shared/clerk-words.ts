import { localDateTime } from './drafts';

/** The upstream service a message is about. */
export type Service = 'iv' | 'scm';
const SYSTEM: Record<Service, string> = { iv: 'Inventory Visibility', scm: 'SCM' };

// Transport codes and words a clerk cannot act on: the network did not carry the call.
const UNREACHABLE =
  /\b(ECONNREFUSED|ECONNRESET|ECONNABORTED|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN|ETIMEDOUT|EPIPE|UND_ERR_[A-Z_]+)\b|fetch failed|socket hang up|network error|request aborted/i;
const NO_ANSWER = /no answer within \d+ ms/i;
// "(POST http://127.0.0.1:8080/api/…)" or "from GET https://…": the request line, for the log only.
const REQUEST_LINE =
  /\s*(\(|\bfrom\s+)?\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s+https?:\/\/\S+?(\)|(?=[\s;,]|$))/g;
const BARE_URL = /\bhttps?:\/\/\S+/g;
const ISO_UTC = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

function serviceIn(message: string, fallback: Service | undefined): Service | undefined {
  if (fallback) return fallback;
  if (/inventory visibility|\bIV\b/i.test(message)) return 'iv';
  if (/\bSCM\b|supply chain|finance and operations|F&O/i.test(message)) return 'scm';
  return undefined;
}

/**
 * What a clerk reads instead of a transport error or a UTC timestamp: "SCM cannot be
 * reached; your lines are safe…", local date and time. The raw text stays in the attempt
 * log and the server's log for whoever troubleshoots. The grids and the XLSX export say it alike.
 */
export function clerkWords(
  message: string | null | undefined,
  service?: Service,
  localTime: (iso: string) => string = localDateTime,
): string | null {
  if (!message) return null;
  const who = serviceIn(message, service);
  const system = who ? SYSTEM[who] : 'The upstream service';
  if (UNREACHABLE.test(message))
    return `${system} cannot be reached; your lines are safe and will be sent when it is back.`;
  if (NO_ANSWER.test(message))
    return `${system} did not answer in time; your lines are safe and will be sent again.`;
  return message
    .replace(REQUEST_LINE, '')
    .replace(BARE_URL, (url) => {
      try {
        return new URL(url).host;
      } catch {
        return '';
      }
    })
    .replace(ISO_UTC, (iso) => localTime(iso))
    .replace(/\s{2,}/g, ' ')
    .trim();
}
