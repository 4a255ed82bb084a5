// Reason codes end to end through the one entry pipeline: the bulk API takes `reasonCode`, an
// unknown or inactive code (or none where the store requires one) is refused naming the field
// and the rule and stores nothing, the code's journal name and reference category fill only
// what the line leaves empty, and the grids' filter, the CSV export and a draft import of that
// export keep it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftDetail } from '../../src/shared/drafts';
import type { DetailedLine } from '../../src/shared/views';
import { draftsApi, importFile, ledgerLines, rpc } from '../drafts/fixtures';
import { type ApiFixture, getJson, postJson, seedLine } from '../helpers/layer';

let f: ApiFixture;
beforeEach(async () => {
  f = await draftsApi();
});
afterEach(async () => {
  await f.close();
});

const post = async (lines: unknown) => {
  const res = await postJson(`${f.api}/adjustment/bulk`, lines);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const byId = (id: string) => ledgerLines(f.layer).find((l) => l.id === id);

describe('reason codes through the bulk API', () => {
  it('seeds the usual codes and stores a line’s code as the list spells it', async () => {
    const list = await rpc(f.layer, 'reasons.list', {});
    expect(list).toMatchObject({ ok: true });
    expect((list as { value: { code: string }[] }).value.map((r) => r.code)).toEqual([
      'DAMAGED',
      'EXPIRED',
      'THEFT',
      'FOUND',
      'RECEIPT',
      'COUNT',
    ]);
    expect((await post(seedLine({ id: 'r-1', reasonCode: ' damaged ' }))).status).toBe(200);
    expect(byId('r-1')).toMatchObject({ reasonCode: 'DAMAGED', fnoJournalNameId: null });
    // A line without a reason is as before.
    expect((await post(seedLine({ id: 'r-0' }))).status).toBe(200);
    expect(byId('r-0')).toMatchObject({ reasonCode: null });
  });

  it('refuses an unknown code in words, naming the field and the codes that would do, and stores nothing', async () => {
    const res = await post([seedLine({ id: 'ok-1' }), seedLine({ id: 'bad-1', reasonCode: 'BROKEN' })]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      errors: [
        {
          index: 1,
          id: 'bad-1',
          field: 'reasonCode',
          message:
            "'BROKEN' is not one of this store's reason codes (one of DAMAGED, EXPIRED, THEFT, FOUND, RECEIPT, COUNT)",
        },
      ],
    });
    expect(ledgerLines(f.layer)).toEqual([]);
  });

  it('refuses an inactive code, and a missing one where the store requires a reason', async () => {
    await rpc(f.layer, 'reasons.upsert', { code: 'EXPIRED', words: 'Expired', active: false });
    const inactive = await post(seedLine({ id: 'x-1', reasonCode: 'expired' }));
    expect(inactive.status).toBe(400);
    expect(JSON.stringify(inactive.body)).toContain("'EXPIRED' (Expired) is no longer used in this store");
    await rpc(f.layer, 'settings.update', { entry: { reasonRequired: true } });
    const missing = await post(seedLine({ id: 'x-2' }));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      errors: [
        { field: 'reasonCode', message: expect.stringMatching(/^is required: this store asks a reason/) },
      ],
    });
    expect(ledgerLines(f.layer)).toEqual([]);
  });

  it('fills the journal name and reference category from the code only where the line leaves them empty', async () => {
    const changed = await rpc(f.layer, 'reasons.upsert', {
      code: 'damaged',
      words: 'Damaged',
      fnoJournalNameId: 'IDMG',
      externalReferenceCategory: 'Damage',
    });
    expect(changed).toMatchObject({ ok: true });
    await post([
      seedLine({ id: 'j-1', reasonCode: 'DAMAGED' }),
      seedLine({
        id: 'j-2',
        reasonCode: 'DAMAGED',
        fnoJournalNameId: 'IMov',
        externalReferenceCategory: 'POS',
      }),
    ]);
    expect(byId('j-1')).toMatchObject({ fnoJournalNameId: 'IDMG', externalReferenceCategory: 'Damage' });
    expect(byId('j-2')).toMatchObject({ fnoJournalNameId: 'IMov', externalReferenceCategory: 'POS' });
    // A resend of the same line is the same line (the hash is of the line as sent).
    const again = await post(seedLine({ id: 'j-1', reasonCode: 'DAMAGED' }));
    expect(again.status).toBe(200);
    expect(ledgerLines(f.layer)).toHaveLength(2);
  });

  it('refuses hostile text in the field by the one text rule: control, zero-width, too long; a lookalike is no code', async () => {
    const cases: [unknown, RegExp][] = [
      ['DAMA\u0007GED', /must not contain control characters/],
      ['DAMA\u200bGED', /must not contain invisible characters/],
      ['\u202eDAMAGED', /must not contain invisible characters/],
      ['D'.repeat(1000), /must be at most 64 characters/],
      // Huge: the body reader refuses it before any field is read.
      ['D'.repeat(100_000), /must be at most 65536 bytes/],
      // Full-width letters look the same and are another text: not a code here (NFC keeps them).
      ['ＤＡＭＡＧＥＤ', /is not one of this store's reason codes/],
      [42, /must be a string/],
    ];
    for (const [value, message] of cases) {
      const res = await post(seedLine({ id: 'h-1', reasonCode: value }));
      expect(res.status).toBe(400);
      const errors = res.body.errors as { field: string; message: string }[];
      expect(errors[0]).toMatchObject({ field: 'reasonCode', message: expect.stringMatching(message) });
    }
    // NFC twins are one value: the decomposed and composed spellings of a code are the same code.
    await rpc(f.layer, 'reasons.upsert', { code: 'CAFE', words: 'Café' });
    const words = (await rpc(f.layer, 'reasons.list', {})) as { value: { code: string; words: string }[] };
    expect(words.value.find((r) => r.code === 'CAFE')?.words).toBe('Café');
    const twin = await rpc(f.layer, 'reasons.upsert', { code: 'CAFE', words: 'Cafe\u0301' });
    expect(twin).toMatchObject({ ok: true });
    const after = (await rpc(f.layer, 'reasons.list', {})) as { value: { code: string; words: string }[] };
    expect(after.value.find((r) => r.code === 'CAFE')?.words).toBe('Café');
    expect(ledgerLines(f.layer)).toEqual([]);
  });

  it('filters the lines by reason, and a CSV export imported back into a draft keeps it', async () => {
    await post([
      seedLine({ id: 'c-1', reasonCode: 'FOUND', quantity: 2 }),
      seedLine({ id: 'c-2', reasonCode: 'THEFT', quantity: -1 }),
      seedLine({ id: 'c-3', quantity: 4 }),
    ]);
    const found = await getJson(`${f.api}/adjustment/lines?reasonCode=found`);
    expect((found.body as { value: DetailedLine[] }).value.map((l) => l.id)).toEqual(['c-1']);
    const res = await fetch(`${f.api}/adjustment/lines.csv`, {
      headers: { authorization: 'Bearer test-api-key-0123456789' },
    });
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toContain(',reasonCode,');
    // Into another ledger: the draft's rows carry the reason, and posting stores it.
    const other = await draftsApi();
    try {
      const imported = await importFile(other, 'adjustment-lines.csv', csv);
      expect(imported.status).toBe(200);
      const draftId = (imported.body.draft as { draftId: string }).draftId;
      const detail = other.layer.drafts.get(draftId, 10, 0) as DraftDetail;
      const reasons = Object.fromEntries(detail.rows.map((r) => [r.line.id, r.line.reasonCode]));
      expect(reasons).toEqual({ 'c-1': 'FOUND', 'c-2': 'THEFT', 'c-3': undefined });
      const posted = await postJson(`${other.api}/drafts/${draftId}/post`, '');
      expect(posted.status).toBe(200);
      const lines = ledgerLines(other.layer);
      expect(Object.fromEntries(lines.map((l) => [l.id, l.reasonCode]))).toEqual({
        'c-1': 'FOUND',
        'c-2': 'THEFT',
        'c-3': null,
      });
    } finally {
      await other.close();
    }
  });
});
