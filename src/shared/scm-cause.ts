/**
 * What failed and for which value: SCM's own message (as the sync keeps it on an aggregated
 * line) read for the cause of a refusal. The words a clerk reads about it are in scm-refusal.ts.
 *
 * SCM's data management writes one infolog line per failed staging row, in the shape
 * "Write failed for table row of type '<entity>'. <row>. Infolog: Warning: The value '<value>'
 * in field '<field label>' is not found in the related table '<table>'.; Warning: validateField
 * failed on field '<Entity.Field>'." (the same shape Microsoft quotes for its own entities, e.g.
 * "The value '12/31/2154 11:59:59 pm' in field 'Employment end date' is not found in the related
 * table 'Employment'", https://learn.microsoft.com/dynamics365/human-resources/hr-admin-integration-finance).
 * SCM refuses to post an issue that would take physical on-hand below zero unless the item model
 * group allows it ("…available physical on-hand inventory on item … is currently negative, which
 * is not allowed according to its item model group",
 * https://learn.microsoft.com/troubleshoot/dynamics-365/supply-chain/costing/error-negative-on-hand).
 *
 * The reading is tolerant: labels or technical field names, single, double or curly quotes,
 * several warnings in one message. A message it does not recognise is shown whole: the cause is
 * never empty.
 */

export type RefusalKind =
  | 'unknownItem'
  | 'unknownSite'
  | 'unknownWarehouse'
  | 'unknownJournalName'
  | 'unknownCompany'
  | 'unknownValue'
  | 'journalHeader'
  | 'missingValue'
  | 'invalidValue'
  | 'negativeOnHand'
  | 'heldByOtherLine'
  | 'postingStalled'
  | 'postingOverdue'
  | 'journalGone'
  | 'alreadyInScm'
  | 'postedJournal'
  | 'wholePackage'
  | 'noReason'
  | 'other';

export interface ScmCause {
  kind: RefusalKind;
  /** The field SCM named (its label, or the technical name when that is all it gave). */
  field: string | null;
  /** The value that failed: an item number, a site, a warehouse, a journal name, a journal. */
  value: string | null;
  /** SCM's own statement the cause was read from (the whole message when none was recognised). */
  statement: string;
  /** Whose words the message is: SCM's, or the sync's own about SCM's posting job. */
  source: 'scm' | 'sync';
}

const Q = `['"“‘]`;
const UNQ = `['"”’]`;
// A quoted name holds no quote and is short: no backtracking across a long message.
const quoted = `${Q}([^'"“”‘’]{1,200})${UNQ}`;
/** "The value 'X' in field 'F' is not found in the related table 'T'." */
const NOT_FOUND = new RegExp(
  `value\\s+${quoted}\\s+in\\s+(?:the\\s+)?field\\s+${quoted}\\s+(?:is\\s+|was\\s+)?not\\s+found(?:\\s+in\\s+the\\s+related\\s+table\\s+${quoted})?`,
  'i',
);
/** The same in another language: three quoted names and a "not found" word. */
const NOT_FOUND_ANY_LANGUAGE = new RegExp(`${quoted}[^'"“‘]{0,80}${quoted}[^'"“‘]{0,80}${quoted}`, 'i');
const NOT_FOUND_WORDS = /not found|nicht gefunden|introuvable|no se encuentra|non trovato|niet gevonden/i;
const MUST_FILL = new RegExp(`field\\s+${quoted}\\s+must\\s+be\\s+filled\\s+in`, 'i');
const INVALID = new RegExp(
  `value\\s+${quoted}\\s+in\\s+(?:the\\s+)?field\\s+${quoted}\\s+is\\s+not\\s+valid`,
  'i',
);
const ALREADY_EXISTS = /record already exists|already exists/i;
const POSTED_JOURNAL = /journal\s+(\S+?),?\s+which is posted|is posted; it cannot be changed/i;
const NEGATIVE =
  /(?:cannot|can't|may not|must not)\s+(?:be(?:come)?|go)\s+negative|is\s+currently\s+negative|negative\s+(?:physical\s+)?(?:inventory|on-hand|stock)|would make on-hand negative|(?:inventory|on-hand|stock)[^.;]{0,60}(?:not\s+sufficient|insufficient)|(?:not\s+sufficient|insufficient)[^.;]{0,40}(?:inventory|on-hand|stock)/i;
const ITEM_IN_TEXT = /\bitem(?:\s+number)?\s*[:\s]\s*['"“]?([^\s'"”,;:()]+)/i;
const VALIDATE_FIELD = /validateField failed on field/i;

// What the sync itself writes around SCM's words (src/main/sync/scm/messages.ts, blocked-posting.ts).
const OUR_WRAPPER = /\s*\(Not created in SCM;[^)]*\)\.?/g;
const CAREFUL = /\s*Careful: SCM posted journal[\s\S]*$/;
const WHOLE_PACKAGE = /whole package was refused before any line was imported/i;
const NO_LINE_MESSAGE = /No message of SCM's names this line/i;
const NO_MESSAGE = /SCM gave no message for this line|error list could not be read/i;
const PASSED_OVER_MINE = /This line is the likely cause:\s*(\S+)/;
const PASSED_OVER_OTHER = /likely cause is another line:\s*(\S+)/;
const PASSED_OVER_UNKNOWN = /No line of it could be named from here/;
const OVERDUE = /posting job has not posted journal\s+(\S+)/i;
const GONE = /SCM no longer lists journal\s+(\S+)/i;
const JOURNAL_OF = /journal\s+([A-Z0-9][\w-]*\d)\b/;

/** Which of SCM's fields a label or technical name is. */
function fieldKind(field: string, table: string | null): RefusalKind {
  const f = `${field} ${table ?? ''}`;
  if (/journal\s*name|JournalNameId|journal names/i.test(f)) return 'unknownJournalName';
  if (/journal\s*number|journal header/i.test(f)) return 'journalHeader';
  if (/\bitem|ItemNumber|ItemId|product|artikel/i.test(f)) return 'unknownItem';
  if (/warehouse|InventLocationId|WarehouseId|lagerort/i.test(f)) return 'unknownWarehouse';
  if (/\bsite|InventSiteId|SiteId|standort/i.test(f)) return 'unknownSite';
  if (/company|legal entit|dataAreaId|unternehmen/i.test(f)) return 'unknownCompany';
  return 'unknownValue';
}

/** SCM's statements in a message: infolog lines split at "; Warning:", "; Error:", new lines. */
function statements(text: string): string[] {
  return text
    .slice(0, 8000)
    .split(/\r?\n|;\s*(?=(?:Warning|Error|Info):)|\.\s+(?=(?:Warning|Error):)|Infolog:\s*/i)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !VALIDATE_FIELD.test(s));
}

/** Specific causes first: a value SCM does not know tells more than "the header was not found". */
const RANK: Partial<Record<RefusalKind, number>> = {
  unknownItem: 0,
  unknownSite: 0,
  unknownWarehouse: 0,
  unknownJournalName: 0,
  unknownCompany: 0,
  negativeOnHand: 0,
  missingValue: 1,
  invalidValue: 1,
  alreadyInScm: 2,
  postedJournal: 2,
  unknownValue: 3,
  journalHeader: 4,
};

function readStatement(s: string): ScmCause | null {
  const nf = NOT_FOUND.exec(s);
  if (nf)
    return {
      kind: fieldKind(nf[2]!, nf[3] ?? null),
      field: nf[2]!,
      value: nf[1]!,
      statement: s,
      source: 'scm',
    };
  const fill = MUST_FILL.exec(s);
  if (fill) return { kind: 'missingValue', field: fill[1]!, value: null, statement: s, source: 'scm' };
  const bad = INVALID.exec(s);
  if (bad) return { kind: 'invalidValue', field: bad[2]!, value: bad[1]!, statement: s, source: 'scm' };
  if (NEGATIVE.test(s))
    return {
      kind: 'negativeOnHand',
      field: 'Item number',
      value: ITEM_IN_TEXT.exec(s)?.[1] ?? null,
      statement: s,
      source: 'scm',
    };
  if (POSTED_JOURNAL.test(s))
    return {
      kind: 'postedJournal',
      field: null,
      value: POSTED_JOURNAL.exec(s)?.[1] ?? null,
      statement: s,
      source: 'scm',
    };
  if (ALREADY_EXISTS.test(s))
    return { kind: 'alreadyInScm', field: null, value: null, statement: s, source: 'scm' };
  if (NOT_FOUND_WORDS.test(s)) {
    const any = NOT_FOUND_ANY_LANGUAGE.exec(s);
    if (any)
      return {
        kind: fieldKind(any[2]!, any[3]!),
        field: any[2]!,
        value: any[1]!,
        statement: s,
        source: 'scm',
      };
  }
  return null;
}

/** The most specific cause among SCM's statements, or null. */
function mostSpecific(text: string): ScmCause | null {
  let best: ScmCause | null = null;
  for (const s of statements(text)) {
    const c = readStatement(s);
    if (c && (best === null || (RANK[c.kind] ?? 9) < (RANK[best.kind] ?? 9))) best = c;
  }
  return best;
}

/** What failed and for which value, read from a kept message (never throws, never empty). */
export function readScmCause(message: string | null | undefined): ScmCause {
  const text = (message ?? '').trim();
  if (text === '')
    return { kind: 'noReason', field: null, value: null, statement: 'SCM gave no reason.', source: 'scm' };
  // The sync's own words about SCM's posting job.
  const mine = PASSED_OVER_MINE.exec(text);
  if (mine)
    return { kind: 'negativeOnHand', field: 'Item number', value: mine[1]!, statement: text, source: 'sync' };
  const other = PASSED_OVER_OTHER.exec(text);
  if (other)
    return {
      kind: 'heldByOtherLine',
      field: 'Item number',
      value: other[1]!,
      statement: text,
      source: 'sync',
    };
  if (PASSED_OVER_UNKNOWN.test(text))
    return {
      kind: 'postingStalled',
      field: 'Journal',
      value: JOURNAL_OF.exec(text)?.[1] ?? null,
      statement: text,
      source: 'sync',
    };
  const overdue = OVERDUE.exec(text);
  if (overdue)
    return { kind: 'postingOverdue', field: 'Journal', value: overdue[1]!, statement: text, source: 'sync' };
  const gone = GONE.exec(text);
  if (gone)
    return { kind: 'journalGone', field: 'Journal', value: gone[1]!, statement: text, source: 'sync' };
  // SCM's words, without what the sync wrote around them.
  const scm = text.replace(CAREFUL, '').replace(OUR_WRAPPER, '').trim();
  const found = mostSpecific(scm);
  if (found) return found;
  if (WHOLE_PACKAGE.test(scm))
    return { kind: 'wholePackage', field: null, value: null, statement: scm, source: 'scm' };
  if (NO_MESSAGE.test(scm) || NO_LINE_MESSAGE.test(scm))
    return { kind: 'noReason', field: null, value: null, statement: scm, source: 'scm' };
  return { kind: 'other', field: null, value: null, statement: scm || text, source: 'scm' };
}
