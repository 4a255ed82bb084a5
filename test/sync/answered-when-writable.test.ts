// A job's upstream answers come back once the ledger is writable, so the write that follows an
// answer never has the event loop wait for a bulk still being written (sync/context.ts).
import { describe, expect, it } from 'vitest';
import { answeredWhenWritable } from '../../src/main/sync/context';

function gate(): { open: () => void; store: { whenWritable: () => Promise<void> } } {
  let open!: () => void;
  const writable = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, store: { whenWritable: () => writable } };
}

const client = {
  prefix: 'IVJ',
  async answer(n: number): Promise<string> {
    return `${this.prefix}-${n}`;
  },
  async refuse(): Promise<never> {
    throw new Error('SCM said no');
  },
  sync(): number {
    return 5;
  },
};

const later = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('upstream answers wait until the ledger is writable', () => {
  it('holds an answer while a bulk is being written, then delivers it as it was', async () => {
    const { open, store } = gate();
    const seen: string[] = [];
    const answered = answeredWhenWritable(client, store)
      .answer(1)
      .then((a) => seen.push(a));
    await later();
    expect(seen).toEqual([]);
    open();
    await answered;
    expect(seen).toEqual(['IVJ-1']);
  });

  it('holds a failure the same way, and passes anything that is not a call straight through', async () => {
    const { open, store } = gate();
    const wrapped = answeredWhenWritable(client, store);
    const seen: string[] = [];
    const refused = wrapped.refuse().catch((e: Error) => seen.push(e.message));
    await later();
    expect(seen).toEqual([]);
    open();
    await refused;
    expect(seen).toEqual(['SCM said no']);
    expect(wrapped.sync()).toBe(5);
    expect(wrapped.prefix).toBe('IVJ');
  });
});
