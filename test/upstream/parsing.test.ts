import { describe, expect, it } from 'vitest';
import { extractUpstreamMessage } from '../../src/main/upstream/answer-text';
import { kindForStatus, UpstreamError } from '../../src/main/upstream/errors';
import { parseRetryAfter, transportError } from '../../src/main/upstream/failures';
import { interpretBulkAnswer } from '../../src/main/upstream/iv-client';
import { Redactor } from '../../src/main/upstream/redaction';
import { parseExecutionErrors, parseJobStatus, parseMessageId } from '../../src/main/upstream/scm-answers';
import { odataString } from '../../src/main/upstream/scm-read-back';

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

// IV's on-hand bulk answer is not documented (docs/dynamics-contract.md §4): an event counts
// as accepted only when the answer says so, or the answer is a bare 2xx with no body.
describe('IV bulk answer: accepted only when the answer says so', () => {
  const held = (r: ReturnType<typeof interpretBulkAnswer>) => ({
    accepted: r.accepted,
    rejected: r.rejected,
    held: r.held,
  });

  it('takes a bare 2xx with no body as all accepted', () => {
    expect(held(interpretBulkAnswer(['a', 'b'], ''))).toEqual({
      accepted: ['a', 'b'],
      rejected: [],
      held: [],
    });
  });

  it('reads success and failure lists, keys and ids without regard to case', () => {
    expect(
      held(
        interpretBulkAnswer(
          ['Id-1', 'id-2'],
          JSON.stringify({
            Success: ['ID-1'],
            FAILURE: [{ ID: 'ID-2', StatusCode: 400, Message: 'no fno' }],
          }),
        ),
      ),
    ).toEqual({
      accepted: ['Id-1'],
      rejected: [{ id: 'id-2', statusCode: 400, message: 'no fno' }],
      held: [],
    });
  });

  it('holds every event not listed, and every event when a failure names no id', () => {
    const r = interpretBulkAnswer(
      ['a', 'b', 'c'],
      JSON.stringify({ success: ['a'], failure: [{ statusCode: 500, message: 'x' }] }),
    );
    expect(held(r)).toEqual({ accepted: ['a'], rejected: [], held: ['b', 'c'] });
    expect(r.heldReason).toContain('without saying for which event');
  });

  it.each([
    [
      'a 200 carrying statusCode 400 in the body',
      JSON.stringify({ statusCode: 400, message: 'Bad request' }),
    ],
    ['an object with no list and no event', JSON.stringify({ result: 'ok' })],
    ['a body that is not JSON', 'OK'],
  ])('holds everything on %s, keeping the raw answer', (_what, body) => {
    const r = interpretBulkAnswer(['a', 'b'], body);
    expect(held(r)).toEqual({ accepted: [], rejected: [], held: ['a', 'b'] });
    expect(r.raw).toBe(body);
    expect(r.heldReason).toBeTruthy();
  });

  // The shape Microsoft publishes for IV's change-schedule bulk API: six lists of
  // {id, processingStatus, message, statusCode}, ids prefixed by the API (ohcs~, ohre~)
  // (microsoft/Inventory-Visibility-Add-in-Examples, dc5057c,
  // features/180atp/apibodyexamples/changeschedulebulk.json).
  it("reads Microsoft's six-list answer with prefixed ids: success and conflict taken, failure and notFound refused, unknown held", () => {
    const item = (id: string, processingStatus: string, statusCode: number, message = '') => ({
      id: `ohcs~${id}`,
      processingStatus,
      message,
      statusCode,
    });
    const r = interpretBulkAnswer(
      ['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-6', 'e-7'],
      JSON.stringify({
        success: [item('e-1', 'success', 200), item('e-2', 'success', 200)],
        failure: [item('e-3', 'failure', 400, 'Data source fno is read-only')],
        conflict: [item('e-4', 'conflict', 409)],
        notFound: [{ id: 'ohcs~e-5', processingStatus: 'notFound', message: 'Partition not found' }],
        partialSuccess: [item('e-6', 'partialSuccess', 207, 'one measure failed')],
        unknown: [item('e-7', 'unknown', 500)],
      }),
    );
    expect(r.accepted).toEqual(['e-1', 'e-2', 'e-4']);
    expect(r.alreadyApplied).toEqual(['e-4']);
    expect(r.rejected).toEqual([
      { id: 'e-3', statusCode: 400, message: 'Data source fno is read-only' },
      { id: 'e-5', statusCode: 404, message: 'Partition not found' },
      {
        id: 'e-6',
        partlyApplied: true,
        statusCode: 422,
        message: expect.stringMatching(
          /^Inventory Visibility applied only part of this event \(partialSuccess: one measure failed\)/,
        ),
      },
    ]);
    expect(r.held).toEqual(['e-7']);
  });

  it('reads a per-event array and a single event object by each status; an event without a status is held', () => {
    const r = interpretBulkAnswer(
      ['a', 'b', 'c', 'd'],
      JSON.stringify([
        { id: 'ohre~a', processingStatus: 'success', statusCode: 200 },
        { id: 'b', statusCode: 400, message: 'Product is blocked' },
        { id: 'c', processingStatus: 'conflict' },
        { id: 'd' },
      ]),
    );
    expect(held(r)).toEqual({
      accepted: ['a', 'c'],
      rejected: [{ id: 'b', statusCode: 400, message: 'Product is blocked' }],
      held: ['d'],
    });
    const one = interpretBulkAnswer(
      ['x'],
      JSON.stringify({ id: 'ohcs~x', processingStatus: 'success', statusCode: 200 }),
    );
    expect(one.accepted).toEqual(['x']);
  });

  it('holds an event listed under success whose own status says otherwise', () => {
    const r = interpretBulkAnswer(['a'], JSON.stringify({ success: [{ id: 'a', statusCode: 500 }] }));
    expect(held(r)).toEqual({ accepted: [], rejected: [], held: ['a'] });
  });
});

describe('SCM job status, shaped like RIS (microsoft/Recurring-Integrations-Scheduler, Common/Contracts)', () => {
  // DataJobStatusDetail.cs: DataJobStatus (DataJobStatus.cs, with ExecutionIdentifier inside),
  // ExecutionLog, ExecutionDetail (EntityExecutionStatus.cs); DataJobState from ContractEnums.cs.
  const ris = {
    DataJobStatus: {
      DataProject: 'Inventory Visibility adjustment journals',
      DataJobIdentifier: 'b3c6a1e2-0000-4000-8000-000000000001',
      ExternalIdentifier: '0192b0c4-0000-7000-8000-000000000001',
      ExecutionIdentifier: 'Inventory Visibility adjustment journals-2026-11-30T10:11:12-ABCD',
      DataJobStartedDateTime: '2026-11-30T10:11:12Z',
      DataJobCompletedDateTime: '2026-11-30T10:11:20Z',
      DataJobState: 6,
    },
    ExecutionLog: 'Import finished with errors.',
    ExecutionDetail: [
      {
        EntityName: 'Inventory service adjustment journal entry',
        Company: 'usmf',
        StagingRecords: 3,
        StagingStatus: 4,
        StagingErrorCount: 0,
        TargetRecords: 2,
        TargetStatus: 3,
        TargetErrorCount: 1,
        ExecutionStartedDateTime: '2026-11-30T10:11:13Z',
        ExecutionCompletedDateTime: '2026-11-30T10:11:19Z',
      },
    ],
  };

  it('reads state, execution ID, the data project and per-entity counts', () => {
    expect(parseJobStatus(JSON.stringify(ris))).toEqual({
      dataProject: 'Inventory Visibility adjustment journals',
      state: 'ProcessedWithErrors',
      rawState: 6,
      final: true,
      executionId: ris.DataJobStatus.ExecutionIdentifier,
      log: 'Import finished with errors.',
      details: [
        {
          entityName: 'Inventory service adjustment journal entry',
          stagingRecords: 3,
          stagingErrors: 0,
          targetRecords: 2,
          targetErrors: 1,
        },
      ],
    });
  });

  it('also finds ExecutionIdentifier beside DataJobStatus, not only inside it', () => {
    const s = parseJobStatus(
      JSON.stringify({ DataJobStatus: { DataJobState: 'Processed' }, ExecutionIdentifier: 'exec-1' }),
    );
    expect(s).toMatchObject({ state: 'Processed', final: true, executionId: 'exec-1' });
  });

  it('reads the state as a name (any case) or its number (ContractEnums.cs: Enqueued=0 … PreProcessError=8)', () => {
    expect(
      parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 'processedwitherrors' } })).state,
    ).toBe('ProcessedWithErrors');
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: '4' } }))).toMatchObject({
      state: 'InProcess',
      final: false,
    });
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 8 } })).state).toBe(
      'PreProcessError',
    );
  });

  it('answers null, never "Enqueued", for a reply with no state or a state outside the enum', () => {
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: {} }))).toMatchObject({
      state: null,
      final: false,
    });
    expect(parseJobStatus('')).toMatchObject({ state: null, final: false });
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 'Archived' } }))).toMatchObject({
      state: null,
      rawState: 'Archived',
      final: false,
    });
    expect(parseJobStatus(JSON.stringify({ DataJobStatus: { DataJobState: 42 } })).state).toBeNull();
  });
});

// https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/data-management-api,
// "Getting the list of errors": GetExecutionErrors "returns a set of error
// messages in a JSON list". The exact envelope is not public: each plausible one is read.
describe('GetExecutionErrors answer', () => {
  it.each([
    [
      'an OData string value holding a JSON list',
      JSON.stringify({ '@odata.context': 'x#Edm.String', value: JSON.stringify(['a', 'b']) }),
    ],
    ['an OData value that is a list', JSON.stringify({ value: ['a', 'b'] })],
    ['a bare JSON list', JSON.stringify(['a', 'b'])],
    ['a list of objects with a message', JSON.stringify({ value: [{ Message: 'a' }, { message: 'b' }] })],
    [
      'records {RecordId, Field, ErrorMessage} in a string, repeats folded',
      JSON.stringify({
        value: JSON.stringify([
          { RecordId: 5637144576, Field: 'ItemNumber', ErrorMessage: 'a' },
          { RecordId: 5637144577, Field: '', ErrorMessage: 'b' },
          { RecordId: 5637144578, Field: '', ErrorMessage: 'a' },
        ]),
      }),
    ],
  ])('reads %s', (_what, body) => {
    expect(parseExecutionErrors(body)).toEqual(['a', 'b']);
  });

  it("takes each ErrorMessage out of records that are not valid JSON (SCM's own quotes unescaped, the list cut short)", () => {
    const broken =
      '[{"RecordId":5637144576,"Field":"ItemNumber","ErrorMessage":"Item "X9999" was not found in table "Items"."},' +
      '{"RecordId":5637144577,"Field":"","ErrorMessage":"Results. 1 record(s) failed"}';
    expect(parseExecutionErrors(JSON.stringify({ value: broken }))).toEqual([
      'Item "X9999" was not found in table "Items".',
      'Results. 1 record(s) failed',
    ]);
    expect(parseExecutionErrors(JSON.stringify({ value: 'Not a list at all' }))).toEqual([
      'Not a list at all',
    ]);
  });

  it('reads an empty list, an empty string and a lone message', () => {
    expect(parseExecutionErrors(JSON.stringify({ value: '[]' }))).toEqual([]);
    expect(parseExecutionErrors(JSON.stringify({ value: '' }))).toEqual([]);
    expect(parseExecutionErrors(JSON.stringify({ value: 'Only one message' }))).toEqual(['Only one message']);
  });
});

describe('SCM parsing', () => {
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
