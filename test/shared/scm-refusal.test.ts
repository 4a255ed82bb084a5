// The cause of an SCM refusal, first: SCM's message reduced to what failed and for which value,
// over a corpus of messages in the shapes SCM writes (and the sync writes around them).
import { describe, expect, it } from 'vitest';
import { explainScmRefusal, readScmCause } from '../../src/shared/scm-refusal';

/** What the sync keeps for a line SCM did not create (src/main/sync/scm/messages.ts). */
const kept = (scm: string, state = 'ProcessedWithErrors') =>
  `${scm} (Not created in SCM; import ${state}. Look up message 1374e82c-d31a-443a-be6a-a816c470154a in System administration › Data management IT › Recurring data jobs; fix the cause there or in the line's data, then Retry.)`;
const row = (text: string, id = '01a2506a-0820-7aa4-a9bc-8253f01330d6') =>
  `Write failed for table row of type 'Inventory service adjustment journal entry'. Inventory service transaction ID: ${id}. Infolog: ${text}`;

// [message, kind, field, value]
const CORPUS: [string, string, string | null, string | null][] = [
  // The emulator's staging-row messages, as SCM's data management writes them.
  [
    kept(
      row(
        "Warning: The value 'T0001M0001' in field 'Item number' is not found in the related table 'Items'.",
      ),
    ),
    'unknownItem',
    'Item number',
    'T0001M0001',
  ],
  [
    kept(row("Warning: The value '9' in field 'Site' is not found in the related table 'Sites'.")),
    'unknownSite',
    'Site',
    '9',
  ],
  [
    kept(row("Warning: The value '99' in field 'Warehouse' is not found in the related table 'Warehouses'.")),
    'unknownWarehouse',
    'Warehouse',
    '99',
  ],
  [
    kept(
      row(
        "Warning: The value 'NOPE' in field 'Journal name' is not found in the related table 'Inventory journal names'.",
      ),
    ),
    'unknownJournalName',
    'Journal name',
    'NOPE',
  ],
  [
    kept(
      row("Warning: The value 'xxxx' in field 'Company' is not found in the related table 'Legal entities'."),
    ),
    'unknownCompany',
    'Company',
    'xxxx',
  ],
  // A line whose journal header failed: the header's own reason is the cause.
  [
    kept(
      `${row("Warning: The value 'SL-7f8131523656-1' in field 'Journal number' is not found in the related table 'Inventory service adjustment journal header'.")} The journal's header was refused: Write failed for table row of type 'Inventory service adjustment journal header'. Journal number: SL-7f8131523656-1. Infolog: Warning: The value 'NOPE' in field 'Journal name' is not found in the related table 'Inventory journal names'.`,
    ),
    'unknownJournalName',
    'Journal name',
    'NOPE',
  ],
  [
    kept(
      row(
        "Warning: The value 'SL-7f8131523656-1' in field 'Journal number' is not found in the related table 'Inventory service adjustment journal header'.",
      ),
    ),
    'journalHeader',
    'Journal number',
    'SL-7f8131523656-1',
  ],
  // The OData entities' shape: several infolog warnings, validateField noise, technical names.
  [
    "Write failed for table row of type 'InventoryServiceAdjustmentJournalEntryEntity'. Infolog: Warning: The value 'D0099' in field 'Item number' is not found in the related table 'Items'.; Warning: validateField failed on field 'InventoryServiceAdjustmentJournalEntryEntity.ItemNumber'.",
    'unknownItem',
    'Item number',
    'D0099',
  ],
  [
    'Infolog: Warning: The value "42" in field "InventLocationId" is not found in the related table "InventLocation".',
    'unknownWarehouse',
    'InventLocationId',
    '42',
  ],
  [
    'Warning: The value “S9” in field “InventSiteId” is not found in the related table “InventSite”.',
    'unknownSite',
    'InventSiteId',
    'S9',
  ],
  // Two warnings: the item comes before the noise and the second warning.
  [
    row(
      "Warning: The value 'ZZ1' in field 'Item number' is not found in the related table 'Items'.\nWarning: The value '77' in field 'Warehouse' is not found in the related table 'Warehouses'.",
    ),
    'unknownItem',
    'Item number',
    'ZZ1',
  ],
  // SCM answering in the service account's language.
  [
    "Infolog: Warnung: Der Wert 'X100' im Feld 'Artikelnummer' wurde in der zugehörigen Tabelle 'Artikel' nicht gefunden.",
    'unknownItem',
    'Artikelnummer',
    'X100',
  ],
  [kept(row("Warning: Field 'Warehouse' must be filled in.")), 'missingValue', 'Warehouse', null],
  [
    kept(row("Warning: The value 'abc' in field 'Quantity' is not valid.")),
    'invalidValue',
    'Quantity',
    'abc',
  ],
  [
    kept(
      'Error: Cannot create a record in Inventory service adjustment journal entry (InventoryServiceAdjustmentJournalEntry). Inventory service transaction ID: 7f3c. The record already exists.',
    ),
    'alreadyInScm',
    null,
    null,
  ],
  [
    kept(row('Error: The line is on journal IVJ-000004, which is posted; it cannot be changed.')),
    'postedJournal',
    null,
    'IVJ-000004',
  ],
  // Posting refused for negative on-hand, in the shapes seen: the emulator's, SCM's closing check.
  [
    'Journal IVJ-000002, line 1: inventory on-hand for item number T0002 cannot become negative (siteId 1, locationId 13): on-hand 0, quantity -5. Update has been canceled.',
    'negativeOnHand',
    'Item number',
    'T0002',
  ],
  [
    'Inventory closing cannot proceed because available physical on-hand inventory on item abc is currently negative, which is not allowed according to its item model group',
    'negativeOnHand',
    'Item number',
    'abc',
  ],
  [
    'Item: A0001 Physical inventory cannot be negative. Update has been canceled.',
    'negativeOnHand',
    'Item number',
    'A0001',
  ],
  // What the sync writes about SCM's posting job.
  [
    "SCM's posting job has run since journal IVJ-000002 (usmf) was created (it posted IVJ-000003) and did not post it. This line is the likely cause: T0002 at site 1, warehouse 13 is the journal's only line that takes stock out (5); its on-hand in SCM may be short. SCM does not post a journal that would make on-hand negative: count the item or post its receipt first.",
    'negativeOnHand',
    'Item number',
    'T0002',
  ],
  [
    "SCM's posting job has run since journal IVJ-000002 (usmf) was created (it posted IVJ-000003) and did not post it. Its likely cause is another line: D0002 at site 1, warehouse 11 takes out 40, which leaves its last known on-hand at -30. SCM posts a journal whole, so this line waits with it.",
    'heldByOtherLine',
    'Item number',
    'D0002',
  ],
  [
    "SCM's posting job has run since journal IVJ-000007 (usmf) was created (it posted IVJ-000008) and did not post it. No line of it could be named from here: open the posting job’s log in SCM for the reason.",
    'postingStalled',
    'Journal',
    'IVJ-000007',
  ],
  [
    "SCM's posting job has not posted journal IVJ-000005 (usmf) 24 hours after it was created. Open the journal in SCM.",
    'postingOverdue',
    'Journal',
    'IVJ-000005',
  ],
  [
    'SCM no longer lists journal IVJ-000009 (usmf); it may have been deleted there.',
    'journalGone',
    'Journal',
    'IVJ-000009',
  ],
  [
    `The whole package was refused before any line was imported (PreProcessError). ${kept('SCM gave no message for this line.', 'PreProcessError')}`,
    'wholePackage',
    null,
    null,
  ],
  [kept('SCM gave no message for this line.'), 'noReason', null, null],
  [
    kept(
      "No message of SCM's names this line. SCM's messages for the whole package (not tied to a line): Write failed for table row of type 'Inventory service adjustment journal header'. Journal number: SL-1. Infolog: Warning: The value 'NOPE' in field 'Journal name' is not found in the related table 'Inventory journal names'.",
    ),
    'unknownJournalName',
    'Journal name',
    'NOPE',
  ],
  ["SCM's error list could not be read (403 Forbidden).", 'noReason', null, null],
];

describe("an SCM refusal's cause", () => {
  it.each(
    CORPUS.map(([message, kind, field, value], i) => ({
      name: `#${i} ${kind} ${value ?? ''}`,
      message,
      kind,
      field,
      value,
    })),
  )('reads $name', ({ message, kind, field, value }) => {
    expect(readScmCause(message)).toMatchObject({ kind, field, value });
  });

  it('says what failed and for which value, first, with a what-to-do of its kind', () => {
    const item = explainScmRefusal(CORPUS[0]![0], { company: 'usmf' });
    expect(item.cause).toBe('SCM does not know item T0001M0001 in usmf');
    expect(item.hint).toBe('Check the item number or release it in SCM, then Retry');
    expect(item.action).toBe('retry');
    const negative = explainScmRefusal(CORPUS[16]![0]);
    expect(negative.cause).toBe('Posting would take item T0002 below zero on-hand');
    expect(negative.hint).toBe('Count the item or post its receipt first');
    expect(negative.action).toBe('count');
    const name = explainScmRefusal(CORPUS[3]![0]);
    expect(name.cause).toBe('SCM does not know journal name NOPE');
    const gone = explainScmRefusal(CORPUS[23]![0]);
    expect(gone.action).toBe('doNotSync');
    // Each kind has its own what-to-do: no two kinds share the generic words.
    const todos = new Map<string, string>();
    for (const [message] of CORPUS) {
      const r = explainScmRefusal(message);
      const seen = todos.get(r.todo);
      if (seen !== undefined) expect(seen).toBe(r.kind);
      todos.set(r.todo, r.kind);
    }
  });

  it('shows a message it does not know whole, without the words the sync wrote around it', () => {
    const odd = 'Die Buchung ist gesperrt, weil die Periode 2026-11 geschlossen ist.';
    expect(explainScmRefusal(kept(odd))).toMatchObject({ kind: 'other', cause: odd });
    expect(explainScmRefusal(odd).cause).toBe(odd);
    // On a posting error, an unknown message points at the journal in SCM.
    expect(explainScmRefusal(odd, { status: 'FnOPostError' }).action).toBe('scmJournals');
  });

  it('never gives an empty cause, whatever it is given', () => {
    const hostile = [
      '',
      '   ',
      null,
      undefined,
      '()',
      "'''",
      '(Not created in SCM; import Processed.)',
      'Infolog:',
      'Warning: ; Warning:',
      'x'.repeat(10_000),
      'The value in field is not found',
      '<html><title>Bad gateway</title></html>',
      '\u0000\u0001',
    ];
    for (const message of hostile) {
      const r = explainScmRefusal(message);
      expect(r.cause.trim(), JSON.stringify(message)).not.toBe('');
      expect(r.todo.trim()).not.toBe('');
      expect(r.cause.length).toBeLessThanOrEqual(320);
    }
  });

  it('reads a long message without backtracking for ever', () => {
    const long = `${"Warning: The value 'a' in field ".repeat(2000)}x`;
    const started = performance.now();
    explainScmRefusal(long);
    // Generous: a catastrophic regex takes seconds, not milliseconds.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
