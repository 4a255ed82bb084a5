import { describe, expect, it } from 'vitest';
import {
  extractUpstreamMessage,
  kindForStatus,
  parseRetryAfter,
  Redactor,
  transportError,
  UpstreamError,
} from '../../src/main/upstream/errors';
import { interpretBulkAnswer } from '../../src/main/upstream/iv-client';
import {
  odataString,
  parseJobStatus,
  parseMessageId,
  parseRowErrors,
} from '../../src/main/upstream/scm-client';

describe('error parsing', () => {
  it('reads Retry-After as seconds or an HTTP-date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('classifies statuses', () => {
    expect([408, 429, 500, 502, 503].map((s) => kindForStatus(s))).toEqual(Array(5).fill('retry'));
    expect([401, 403, 404].map((s) => kindForStatus(s))).toEqual(Array(3).fill('config'));
    expect(kindForStatus(400)).toBe('data');
    expect(kindForStatus(400, 'config')).toBe('config');
  });

  it('extracts the human message of each upstream', () => {
    expect(
      extractUpstreamMessage(
        JSON.stringify({
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret.',
        }),
      ),
    ).toBe('AADSTS7000215: Invalid client secret.');
    expect(
      extractUpstreamMessage(
        JSON.stringify({
          error: {
            code: '',
            message: 'An error has occurred.',
            innererror: { message: "Write failed: item 'X' not found", type: 'T' },
          },
        }),
      ),
    ).toBe("Write failed: item 'X' not found");
    expect(extractUpstreamMessage(JSON.stringify({ error: { code: 'c', message: 'outer only' } }))).toBe(
      'outer only',
    );
    expect(extractUpstreamMessage(JSON.stringify({ Message: 'iv says no' }))).toBe('iv says no');
    expect(extractUpstreamMessage('plain text failure')).toBe('plain text failure');
    expect(extractUpstreamMessage('<html><title>502 Bad Gateway</title></html>')).toBe('502 Bad Gateway');
    expect(extractUpstreamMessage('')).toBeUndefined();
  });

  it('never lets a secret or token through', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t+/=value');
    r.addToken('opaque-token-123');
    const text = r.redact(
      'secret s3cr3t+/=value, encoded s3cr3t%2B%2F%3Dvalue, token opaque-token-123, Bearer abc.def, eyJhbGciOi.eyJzdWIiOi.sig',
    );
    expect(text).not.toMatch(/s3cr3t|opaque-token|abc\.def|eyJ/);
    const err = new UpstreamError({
      kind: 'config',
      service: 'iv',
      upstreamMessage: 'Bearer eyJabcdef.eyJabcdef.xyz',
    });
    expect(String(err)).not.toContain('eyJ');
  });
});

describe('IV bulk answer', () => {
  it('takes a bare 2xx as all accepted and matches keys and ids without regard to case', () => {
    expect(interpretBulkAnswer(['a', 'b'], '')).toEqual({ accepted: ['a', 'b'], rejected: [] });
    expect(
      interpretBulkAnswer(
        ['Id-1', 'id-2'],
        JSON.stringify({ Success: ['ID-1'], FAILURE: [{ ID: 'ID-2', StatusCode: 400, Message: 'no fno' }] }),
      ),
    ).toEqual({ accepted: ['Id-1'], rejected: [{ id: 'id-2', statusCode: 400, message: 'no fno' }] });
  });
});

describe('SCM parsing', () => {
  it('reads the job state as a name or a number', () => {
    expect(
      parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 'processedwitherrors' } })).state,
    ).toBe('ProcessedWithErrors');
    const s = parseJobStatus(JSON.stringify({ dataJobStatus: { dataJobState: 5 }, executionLog: 'ok' }));
    expect(s).toMatchObject({ state: 'Processed', final: true, log: 'ok' });
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: '4' } }))).toMatchObject({
      state: 'InProcess',
      final: false,
    });
    expect(() => parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 'Weird' } }))).toThrow(
      UpstreamError,
    );
  });

  it('parses per-row errors from the execution log', () => {
    const m = parseRowErrors(
      "agg-1: The value 'X' in field 'Item number' is not found.\r\nagg-2: The record already exists.\n2 of 5 rows failed.",
    );
    expect(m.get('agg-1')).toBe("The value 'X' in field 'Item number' is not found.");
    expect(m.get('agg-2')).toBe('The record already exists.');
    expect(m.size).toBe(2);
  });

  it('strips quotes from message IDs and doubles quotes in OData literals', () => {
    expect(parseMessageId('"0f8fad5b-d9cb-469f-a165-70867728950e"\n')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(parseMessageId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    expect(odataString("O'Neil''s")).toBe("'O''Neil''''s'");
  });
});

describe('transport failures of an offline store', () => {
  it.each(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH'])(
    '%s is "retry later", not a configuration error',
    (code) => {
      const error = transportError(
        new TypeError('fetch failed', { cause: { code, message: `getaddrinfo ${code} iv.example` } }),
        {
          service: 'iv',
          what: 'POST https://iv.example/api',
          timeoutMs: 1000,
          mutating: true,
        },
      );
      expect(error.kind).toBe('retry');
      expect(error.outcomeUnknown).toBe(false);
      expect(error.upstreamMessage).toContain(code);
    },
  );
});
