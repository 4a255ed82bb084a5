// SCM HTTP endpoints: enqueue, jobstatus, GetExecutionErrors, the two journal OData entity sets and master data.
import { LINE_ENTITY_FIELDS } from './data-project';
import { bearerToken, type EmuRequest, isRecord, odataError, parseJson, type Reply, reply } from './http';
import { JOURNAL_NAMES_SET, MASTER_DATA_ENTITY_SETS } from './master-data';
import { filterLookup, ODataFilterError, parseFilter, type Row, toPredicate } from './odata-filter';
import { EMPTY_DATE, JOB_STATE_NUMBERS } from './scm';
import type { EmulatorState } from './state';
import type { JournalHeader, JournalLine, JournalRecord } from './types';

function guard(s: EmulatorState, req: EmuRequest): Reply | undefined {
  if (s.tokens.valid(bearerToken(req.headers), 'scm')) return undefined;
  // F&O answers a bare 401.
  return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, text: '' };
}

const sameId = (a: string, b: string) => a.replace(/[{}]/g, '').toLowerCase() === b.toLowerCase();

function unknownActivity(activityId: string): Reply {
  return odataError(
    404,
    `No recurring data job with activity ID '${activityId}' was found. Check the ID on the data project's recurring data job.`,
  );
}

/** POST {fno}/api/connector/enqueue/{activityId}?company=...[&entity=...]: the body is kept as bytes. */
export function scmEnqueue(s: EmulatorState, req: EmuRequest, activityId: string): Reply {
  const denied = guard(s, req);
  if (denied) return denied;
  if (!sameId(activityId, s.credentials.activityId)) return unknownActivity(activityId);
  s.counters.scmEnqueueCalls++;
  const external = req.headers['x-ms-dyn-externalidentifier'];
  const messageId = s.scm.enqueue({
    activityId: s.credentials.activityId,
    entity: req.url.searchParams.get('entity'),
    company: req.url.searchParams.get('company') || null,
    externalIdentifier: typeof external === 'string' ? external : null,
    contentType: req.headers['content-type'] ?? null,
    body: req.body,
  });
  return reply(200, messageId);
}

/** A state outside RIS's DataJobState enum, for jobStatusShape 'unknownState'. */
const UNKNOWN_STATE = 'Paused';

/** GET {fno}/api/connector/jobstatus/{activityId}?jobId=...: RIS's DataJobStatusDetail. */
export function scmJobStatus(s: EmulatorState, req: EmuRequest, activityId: string): Reply {
  const denied = guard(s, req);
  if (denied) return denied;
  if (!sameId(activityId, s.credentials.activityId)) return unknownActivity(activityId);
  const jobId = req.url.searchParams.get('jobId');
  if (!jobId) return odataError(400, "The query parameter 'jobId' is required.");
  const m = s.scm.message(jobId);
  if (!m) return unknownMessage(s, jobId, activityId);
  const { jobStateAsNumber, jobStatusShape } = s.settings;
  const status: Record<string, unknown> = {
    DataProject: s.dataProject.projectName,
    DataJobIdentifier: `${s.dataProject.projectName}-${s.credentials.activityId}`,
    ExternalIdentifier: m.externalIdentifier ?? '',
    ExecutionIdentifier: m.executionId ?? '',
    DataJobStartedDateTime: m.startedAt ?? EMPTY_DATE,
    DataJobCompletedDateTime: m.finishedAt ?? EMPTY_DATE,
  };
  if (jobStatusShape === 'ris') status.DataJobState = jobStateAsNumber ? JOB_STATE_NUMBERS[m.state] : m.state;
  if (jobStatusShape === 'unknownState') status.DataJobState = jobStateAsNumber ? 99 : UNKNOWN_STATE;
  return reply(200, { DataJobStatus: status, ExecutionLog: m.executionLog, ExecutionDetail: m.details });
}

/** A message this SCM never saw, answered as `unknownMessageAnswer` says (what SCM does is not public). */
function unknownMessage(s: EmulatorState, jobId: string, activityId: string): Reply {
  switch (s.settings.unknownMessageAnswer) {
    case 'namedNotFound':
      return odataError(404, `No message with ID '${jobId}' was found for activity '${activityId}'.`);
    case 'genericNotFound':
      return odataError(404, 'The requested resource was not found.');
    case 'noState':
      return reply(200, { DataJobStatus: {}, ExecutionLog: '', ExecutionDetail: [] });
    case 'badRequest':
      return odataError(400, 'The request is invalid.');
    case 'serverError':
      return odataError(500, 'An unexpected error occurred.');
  }
}

/**
 * POST {fno}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors
 * {"executionId": "..."} → an OData action answering a string: the JSON list of messages [DM].
 */
export function scmExecutionErrors(s: EmulatorState, req: EmuRequest): Reply {
  const denied = guard(s, req);
  if (denied) return denied;
  s.counters.scmExecutionErrorsCalls++;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return odataError(400, parsed.error, 'Microsoft.OData.ODataException');
  const executionId = isRecord(parsed.value) ? parsed.value.executionId : undefined;
  if (typeof executionId !== 'string' || executionId.trim() === '') {
    return odataError(
      400,
      "The parameter 'executionId' of action 'GetExecutionErrors' is missing or not a string.",
      'Microsoft.OData.ODataException',
    );
  }
  return reply(200, {
    '@odata.context': `${s.credentials.fnoEnvironmentUrl}/data/$metadata#Edm.String`,
    value: executionErrorsText(s, s.scm.executionErrors(executionId.trim()) ?? []),
  });
}

/** The action's string value in the configured shape (`executionErrorsShape`). */
function executionErrorsText(s: EmulatorState, errors: readonly string[]): string {
  const shape = s.settings.executionErrorsShape;
  if (shape === 'messages') return JSON.stringify(errors);
  // Staging record IDs as SCM's RecIds look; Field is often blank on tenants.
  const records = errors.map((ErrorMessage, i) => ({ RecordId: 5637144576 + i, Field: '', ErrorMessage }));
  if (shape === 'records') return JSON.stringify(records);
  const items = records.map(
    (r) => `{"RecordId":${r.RecordId},"Field":"","ErrorMessage":"${r.ErrorMessage}"}`,
  );
  return `[${items.join(',')}`;
}

const ENTRY_FIELDS: readonly string[] = [
  'dataAreaId',
  'JournalNumber',
  'LineNumber',
  ...LINE_ENTITY_FIELDS,
].filter((f, i, all) => all.indexOf(f) === i);
const HEADER_FIELDS: readonly (keyof JournalHeader)[] = [
  'dataAreaId',
  'JournalNumber',
  'JournalNameId',
  'Description',
  'IsPosted',
  'PostedDateTime',
  'PostedUserId',
  'DefaultInventorySiteId',
  'DefaultWarehouseId',
  'InventoryServiceJournalExpectedStatus',
  'AreLinesDeletedAfterPosting',
];

function entryRow(line: JournalLine): Row {
  return {
    ...line,
    TransactionDate: `${line.TransactionDate}T12:00:00Z`,
    UnitCost: line.UnitCost ?? 0,
    UnitCostQuantity: line.UnitCostQuantity ?? 0,
    CostAmount: line.CostAmount ?? 0,
  };
}

function headerRow(j: JournalRecord): Row {
  return Object.fromEntries(HEADER_FIELDS.map((f) => [f, j[f]]));
}

export interface EntitySet {
  type: string;
  fields: readonly string[];
  /** Every row, in order: the scan. */
  rows(s: EmulatorState): Row[];
  /** Fields with an index, and the rows whose field has one of these values (any case), in order. */
  indexed: readonly string[];
  lookup(s: EmulatorState, field: string, values: readonly string[]): Row[];
}

const journalEntries = (journals: readonly JournalRecord[]): Row[] =>
  journals.flatMap((j) => j.lines.map(entryRow));

const ENTITY_SETS: Record<string, EntitySet> = {
  InventoryServiceAdjustmentJournalEntries: {
    type: 'Microsoft.Dynamics.DataEntities.InventoryServiceAdjustmentJournalEntry',
    fields: ENTRY_FIELDS,
    rows: (s) => journalEntries(s.scm.journals.all()),
    indexed: ['InventoryServiceTransactionId', 'JournalNumber'],
    lookup: (s, field, values) =>
      field === 'JournalNumber'
        ? journalEntries(s.scm.journals.journalsByNumber(values))
        : s.scm.journals.linesByTransactionId(values).map((r) => entryRow(r.line)),
  },
  InventoryServiceAdjustmentJournalHeaders: {
    type: 'Microsoft.Dynamics.DataEntities.InventoryServiceAdjustmentJournalHeader',
    fields: HEADER_FIELDS,
    rows: (s) => s.scm.journals.all().map(headerRow),
    indexed: ['JournalNumber'],
    lookup: (s, _field, values) => s.scm.journals.journalsByNumber(values).map(headerRow),
  },
  ...MASTER_DATA_ENTITY_SETS,
  /**
   * The data project's entities as SCM's public data management entity lists them (field names
   * from a client generated from a live F&O $metadata: DefinitionGroupId, EntityName,
   * SourceFormat, Disable, RunBusinessLogic, RunBusinessValidation, InputFilePath, ...).
   */
  DataManagementDefinitionGroupDetails: {
    type: 'Microsoft.Dynamics.DataEntities.DataManagementDefinitionGroupDetail',
    fields: [
      'DefinitionGroupId',
      'EntityName',
      'SourceFormat',
      'Disable',
      'RunBusinessLogic',
      'RunBusinessValidation',
      'InputFilePath',
      'ExecutionUnit',
      'LevelInExecutionUnit',
      'SequenceInLevel',
    ],
    rows: (s) => projectDetails(s),
    indexed: [],
    lookup: (s) => projectDetails(s),
  },
};

function projectDetails(s: EmulatorState): Row[] {
  const p = s.dataProject;
  return [p.headers, p.lines]
    .filter((e) => e !== null)
    .map((e, i) => ({
      DefinitionGroupId: p.projectName,
      EntityName: e.entityName,
      SourceFormat: p.format,
      Disable: 'No',
      RunBusinessLogic: 'Yes',
      RunBusinessValidation: 'No',
      InputFilePath: e.fileName,
      ExecutionUnit: 1,
      LevelInExecutionUnit: i + 1,
      SequenceInLevel: 1,
    }));
}

/**
 * The rows a $filter selects, in the scan's order. A filter that pins an indexed field to a
 * list of values (`F eq 'a' or F eq 'b' ...`, with or without `and dataAreaId eq ...`) starts
 * from the index; the whole filter is then applied to those rows only. Anything else scans.
 */
function selectRows(s: EmulatorState, set: EntitySet, filter: string | null): Row[] {
  if (filter === null || filter.trim() === '') return set.rows(s);
  const node = parseFilter(filter, set.fields, set.type);
  const predicate = toPredicate(node);
  const lookup = filterLookup(node, set.indexed);
  const rows = lookup ? set.lookup(s, lookup.field, lookup.values) : set.rows(s);
  return rows.filter(predicate);
}

function nonNegativeInt(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value))
    throw new ODataFilterError(`The value '${value}' of ${name} is not a non-negative integer.`);
  return Number(value);
}

/** GET {fno}/data/{entitySet}?cross-company=true&$filter=...&$top=&$skip=&$select=&$count= */
export function scmOData(s: EmulatorState, req: EmuRequest, entitySet: string): Reply {
  const denied = guard(s, req);
  if (denied) return denied;
  const custom = s.settings.journalNamesEntitySet;
  const set =
    ENTITY_SETS[entitySet] ??
    (custom !== null && custom.toLowerCase() === entitySet.toLowerCase() ? JOURNAL_NAMES_SET : undefined);
  if (!set)
    return odataError(404, `No HTTP resource was found that matches the request URI '${req.url.href}'.`);
  s.counters.scmODataCalls++;
  if (entitySet.startsWith('DataManagement') && !s.settings.dataManagementReadable)
    return odataError(403, 'Access denied: the application has no read access to data management.');
  const limit = s.settings.maxQueryStringLength;
  // IIS refuses a query string past its limit (default 2,048) with 404.15, before F&O sees it.
  if (limit !== null && req.url.search.length - 1 > limit)
    return {
      status: 404,
      headers: { 'content-type': 'text/html' },
      text: '<h3>HTTP Error 404.15 - Not Found</h3><p>The request filtering module is configured to deny a request where the query string is too long.</p>',
    };
  const q = req.url.searchParams;
  try {
    let rows = selectRows(s, set, q.get('$filter'));
    // Without cross-company=true, F&O answers for the caller's default company only.
    if (q.get('cross-company')?.toLowerCase() !== 'true') {
      const company = s.defaultCompany().toLowerCase();
      rows = rows.filter((r) => String(r.dataAreaId).toLowerCase() === company);
    }
    const total = rows.length;
    const skip = nonNegativeInt(q.get('$skip') ?? q.get('$skiptoken'), '$skip') ?? 0;
    const top = nonNegativeInt(q.get('$top'), '$top');
    const end = top === undefined ? total : Math.min(total, skip + top);
    const pageEnd = Math.min(end, skip + s.settings.odataPageSize);
    let page = rows.slice(skip, pageEnd);
    const select = q.get('$select');
    if (select) {
      const fields = select.split(',').map((f) => f.trim());
      for (const f of fields) {
        if (!set.fields.includes(f)) {
          throw new ODataFilterError(`Could not find a property named '${f}' on type '${set.type}'.`);
        }
      }
      page = page.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));
    }
    const body: Record<string, unknown> = {
      '@odata.context': `${s.credentials.fnoEnvironmentUrl}/data/$metadata#${entitySet}`,
    };
    if (q.get('$count') === 'true') body['@odata.count'] = total;
    body.value = page;
    if (pageEnd < end) {
      // Keys keep their literal '$' as F&O writes them; values are percent-encoded (spaces as %20).
      const params = [...q].filter(([k]) => k !== '$skip' && k !== '$skiptoken' && k !== '$top');
      params.push(['$skip', String(pageEnd)]);
      if (top !== undefined) params.push(['$top', String(end - pageEnd)]);
      const query = params.map(
        ([k, v]) => `${encodeURIComponent(k).replaceAll('%24', '$')}=${encodeURIComponent(v)}`,
      );
      body['@odata.nextLink'] = `${s.credentials.fnoEnvironmentUrl}/data/${entitySet}?${query.join('&')}`;
    }
    return reply(200, body);
  } catch (err) {
    if (err instanceof ODataFilterError)
      return odataError(400, err.message, 'Microsoft.OData.ODataException');
    throw err;
  }
}
