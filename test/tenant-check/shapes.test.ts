// The tenant check's own readings: the shape words for IV's bulk answers (each shape the
// emulator can answer in) and the URL probe's lengths as they go on the wire.
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/main/tenant-check/context';
import { describeShape } from '../../src/main/tenant-check/iv-questions';
import { probeUrl, URL_LENGTHS } from '../../src/main/tenant-check/scm-questions';
import { DEFAULT_IMPORT_PROFILE } from '../../src/shared/import-profile';
import { tenantCheckInputSchema } from '../../src/shared/tenant-check';

describe('describeShape', () => {
  it('names the keys, the lists and the id prefixes of each answer shape', () => {
    expect(describeShape('')).toBe('an empty body');
    expect(describeShape('{"success":["a","b"],"failure":[]}')).toBe(
      '{success: a list of 2 (string), failure: an empty list}',
    );
    // Microsoft's change-schedule bulk answer (Inventory-Visibility-Add-in-Examples, changeschedulebulk.json).
    expect(
      describeShape(
        '{"success":[{"id":"ohcs~a","processingStatus":"success","message":"","statusCode":200}],"failure":[],"conflict":[{"id":"ohcs~b","processingStatus":"conflict","message":"","statusCode":409}],"notFound":[],"partialSuccess":[],"unknown":[]}',
      ),
    ).toBe(
      '{success: a list of 1 ({id, processingStatus, message, statusCode}), failure: an empty list, conflict: a list of 1 ({id, processingStatus, message, statusCode}), notFound: an empty list, partialSuccess: an empty list, unknown: an empty list}; ids carry the prefix ohcs~',
    );
    expect(describeShape('[{"id":"a","statusCode":200}]')).toBe(
      'a list of 1 ({id: string, statusCode: number})',
    );
    expect(describeShape('{"statusCode":500,"message":"x"}')).toBe('{statusCode: number, message: string}');
    expect(describeShape('<html>busy</html>')).toBe('text that is not JSON (<html>busy</html>)');
  });
});

describe('probeUrl', () => {
  it('comes within one filter term of each length, counted as sent (quotes as %27)', () => {
    const ctx = createContext(
      {
        conn: {
          authorityHost: 'https://login.example',
          tenantId: 't',
          clientId: 'c',
          clientSecret: 's3cret',
          ivEndpoint: 'https://iv.example',
          ivSecurityServiceUrl: 'https://ivsec.example',
          environmentId: 'env',
          fnoEnvironmentUrl: 'https://fno.example/',
          activityId: '00000000-0000-4000-8000-0000000000ac',
        },
        profile: DEFAULT_IMPORT_PROFILE,
        options: {
          ...tenantCheckInputSchema.parse({ item: 'I', site: '1', warehouse: '2', confirmSandbox: true }),
          organization: 'usmf',
        },
      },
      '2601010000',
    );
    for (const length of URL_LENGTHS) {
      const url = probeUrl(ctx, length);
      expect(url).toBe(new URL(url).href);
      expect(url.length).toBeLessThanOrEqual(length);
      expect(url.length).toBeGreaterThan(length - 120);
      expect(url).toContain('%27tenant-check-2601010000-url-1%27');
    }
  });
});
