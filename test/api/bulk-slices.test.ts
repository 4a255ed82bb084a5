import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/main/ledger/internal';
import { type ApiFixture, getJson, postJson, seedLine, startApi } from '../helpers/layer';

/**
 * Big bulks are validated and written in slices (one transaction on the bulk connection,
 * spread over turns of the event loop). These tests check what that must never change:
 * one all-or-nothing result, and nobody ever sees half of it.
 */
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f.close();
});

const bulk = (prefix: string, n: number, product = prefix) =>
  Array.from({ length: n }, (_, i) => seedLine({ id: `${prefix}-${i}`, productId: product }));

const count = async (productId: string) =>
  ((await getJson(`${f.api}/adjustment/lines?productId=${productId}&top=1`)).body as { count: number }).count;

function bulkOpen(): boolean {
  return connectionOf(f.layer.ledger).bulk.inProgress();
}

describe('a big bulk in slices', () => {
  it('is never seen half-written, while the server keeps answering', async () => {
    const posting = postJson(`${f.api}/adjustment/bulk`, bulk('iso', 20_000, 'ISO'));
    const seen = new Set<number>();
    let healthAnswers = 0;
    let done = false;
    void posting.then(() => {
      done = true;
    });
    while (!done) {
      seen.add(await count('ISO'));
      if ((await fetch(`${f.server.baseUrl}/health`)).status === 200) healthAnswers++;
    }
    expect((await posting).status).toBe(200);
    expect(await count('ISO')).toBe(20_000);
    expect([...seen].every((n) => n === 0 || n === 20_000)).toBe(true);
    // Answers came in while the bulk was being read, validated and written.
    expect(healthAnswers).toBeGreaterThan(1);
  });

  it("writes each line's master-data check in the bulk's own transaction, not afterwards on the main connection", async () => {
    // A 50,000-line bulk once held the loop for about 2 s after its commit: its entry checks were
    // then inserted on the main connection in one go, one fsync per 500 rows.
    const main = connectionOf(f.layer.ledger).db;
    const changes = () => (main.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    expect((await postJson(`${f.api}/adjustment/bulk`, bulk('chk', 3_000, 'CHK'))).status).toBe(200);
    expect(changes()).toBe(before);
    const checks = main
      .prepare(
        `SELECT count(*) AS n FROM line_entry_checks c JOIN adjustment_lines l USING (line_record_id)
          WHERE l.product_id = 'CHK'`,
      )
      .get() as { n: number };
    expect(checks.n).toBe(3_000);
  });

  it('stays all or nothing: a conflict in its last line rolls back every slice', async () => {
    expect(
      (await postJson(`${f.api}/adjustment/bulk`, seedLine({ id: 'late-9999', quantity: 1 }))).status,
    ).toBe(200);
    const lines = bulk('late', 10_000, 'LATE');
    const res = await postJson(`${f.api}/adjustment/bulk`, lines);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ errors: [{ index: 9999, id: 'late-9999', field: 'id' }] });
    expect(await count('LATE')).toBe(0);
  });

  it('answers a resend of the same bulk with the lines already stored', async () => {
    const lines = bulk('again', 3_000, 'AGAIN');
    const first = (await (await postJson(`${f.api}/adjustment/bulk`, lines)).json()) as {
      lineRecordId: string;
    }[];
    const second = (await (await postJson(`${f.api}/adjustment/bulk`, lines)).json()) as {
      lineRecordId: string;
    }[];
    expect(second.map((r) => r.lineRecordId)).toEqual(first.map((r) => r.lineRecordId));
    expect(await count('AGAIN')).toBe(3_000);
  });

  it('finishes at once when another writer (the sync, settings) needs the ledger meanwhile', async () => {
    const posting = postJson(`${f.api}/adjustment/bulk`, bulk('meet', 20_000, 'MEET'));
    while (!bulkOpen()) await nextTurn();
    // A synchronous write on the main connection, as the sync jobs make: it must neither
    // wait on SQLite's lock nor join the bulk's transaction.
    f.layer.ledger.settings.writeValue('probe-during-bulk', 'x');
    expect(bulkOpen()).toBe(false);
    expect(await count('MEET')).toBe(20_000);
    expect((await posting).status).toBe(200);
    expect(f.layer.ledger.settings.readValue('probe-during-bulk')).toBe('x');
  });

  it('lets a gated write wait its turn for an open bulk, the event loop turning meanwhile', async () => {
    const posting = postJson(`${f.api}/adjustment/bulk`, bulk('turn', 20_000, 'TURN'));
    while (!bulkOpen()) await nextTurn();
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    await f.layer.ledger.write(() => f.layer.ledger.settings.writeValue('turn-after-bulk', 'x'));
    clearInterval(ticker);
    // The bulk was committed by its own thread, not finished on the spot by a writer.
    expect(bulkOpen()).toBe(false);
    expect(await count('TURN')).toBe(20_000);
    expect(turns).toBeGreaterThan(1);
    expect((await posting).status).toBe(200);
  });

  it('lets single-line posts through after the bulk, in arrival order', async () => {
    const big = postJson(`${f.api}/adjustment/bulk`, bulk('order', 20_000, 'ORDER'));
    while (!bulkOpen()) await nextTurn();
    const one = await postJson(`${f.api}/adjustment/bulk`, seedLine({ id: 'order-pos', productId: 'ORDER' }));
    expect(one.status).toBe(200);
    expect((await big).status).toBe(200);
    expect(await count('ORDER')).toBe(20_001);
  });
});
