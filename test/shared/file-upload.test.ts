import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FILE_FIELD } from '../../src/shared/file-upload';
import { FILE_INPUTS, RPC_NAMES, rpcInputs } from '../../src/shared/rpc';

describe('the table of actions that take a file', () => {
  it('lists exactly the actions whose input has a file field, each with its own limit in bytes and words', () => {
    const withFile = RPC_NAMES.filter((name) => {
      const schema = rpcInputs[name] as z.ZodType;
      return schema instanceof z.ZodObject && FILE_FIELD in schema.shape;
    });
    expect(withFile.sort()).toEqual(Object.keys(FILE_INPUTS).sort());
    for (const [name, limit] of Object.entries(FILE_INPUTS)) {
      const schema = rpcInputs[name as keyof typeof FILE_INPUTS];
      const tooBig = schema.safeParse({ [FILE_FIELD]: new Uint8Array(limit.maxBytes + 1) });
      expect(tooBig.success).toBe(false);
      expect(JSON.stringify(tooBig.error?.issues)).toContain(`must be at most ${limit.words}`);
      expect(limit.words).toMatch(/^\d+ MB\b/);
    }
  });
});
