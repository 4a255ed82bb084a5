// A minimal client for the emulator's own tests, written from Microsoft's public pages and
// docs/dynamics-contract.md, never from the app's code: the emulator must stand on its own.
import { strToU8, zipSync } from 'fflate';
import { expect } from 'vitest';
import { IV_ENTRA_SCOPE, IV_EXCHANGE_SCOPE } from './auth';
import { toCsv } from './csv';
import type { DataProject, DataProjectEntity, Emulator, OnHandRow } from './types';

export interface BulkAnswer {
  success: string[];
  failure: { id?: string | null; statusCode: number; message: string }[];
}

export interface JobStatus {
  DataJobStatus: Record<string, unknown> & { DataJobState?: string | number; ExecutionIdentifier: string };
  ExecutionLog: string;
  ExecutionDetail: Record<string, unknown>[];
}

/** A package's journal: one header row and its lines, as the client would write them. */
export interface PackageJournal {
  header: Record<string, string>;
  lines: Record<string, unknown>[];
}

export const MANIFEST_NS = 'http://schemas.microsoft.com/dynamics/2015/01/DataManagement';

export function manifestXml(
  project: DataProject,
  entities: DataProjectEntity[] = entitiesOf(project),
): string {
  const entityXml = entities.map((e, i) => {
    const maps = e.columns
      .map(
        (c, j) =>
          `<EntityMap><ArrayIndex>${j}</ArrayIndex><EntityField>${c.entityField}</EntityField><XMLField>${c.column}</XMLField></EntityMap>`,
      )
      .join('');
    return (
      '<DataManagementPackageEntityData><DefaultRefreshType>FullPush</DefaultRefreshType><Disable>false</Disable>' +
      `<EntityMapList>${maps}</EntityMapList><EntityName>${e.entityName}</EntityName><ExecutionUnit>1</ExecutionUnit>` +
      `<InputFilePath>${e.fileName}</InputFilePath><LevelInExecutionUnit>${i + 1}</LevelInExecutionUnit>` +
      `<SequenceInLevel>1</SequenceInLevel><SourceFormat>${project.format}</SourceFormat></DataManagementPackageEntityData>`
    );
  });
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<DataManagementPackageManifest xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${MANIFEST_NS}">` +
    `<DefinitionGroupName>${project.projectName}</DefinitionGroupName><Description>test</Description>` +
    `<PackageEntityList>${entityXml.join('')}</PackageEntityList></DataManagementPackageManifest>`
  );
}

export const PACKAGE_HEADER_XML =
  '<?xml version="1.0" encoding="utf-8"?>' +
  `<DataManagementPackageHeader xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${MANIFEST_NS}">` +
  '<Description>test</Description>' +
  '<ManifestType>Microsoft.Dynamics.AX.Framework.Tools.DataManagement.Serialization.DataManagementPackageManifest</ManifestType>' +
  '<PackageType>DefinitionGroup</PackageType><PackageVersion>2</PackageVersion></DataManagementPackageHeader>';

const entitiesOf = (p: DataProject) => [p.headers, p.lines].filter((e): e is DataProjectEntity => e !== null);

/** A CSV file of this entity: the project's columns, values by OData field name. */
export function entityCsv(entity: DataProjectEntity, rows: Record<string, unknown>[]): string {
  const byColumn = rows.map((r) => Object.fromEntries(entity.columns.map((c) => [c.column, r[c.field]])));
  return toCsv(
    entity.columns.map((c) => c.column),
    byColumn,
  );
}

/** Bytes in the project's format: UTF-8 with BOM, or UTF-16LE with BOM for CSV-Unicode. */
export function encode(project: DataProject, text: string): Uint8Array {
  if (project.format === 'CSV-Unicode') return new Uint8Array(Buffer.from(`\ufeff${text}`, 'utf16le'));
  return strToU8(`\ufeff${text}`);
}

/** A data package as docs/dynamics-contract.md §2 describes it; `files` overrides or adds entries. */
export function buildPackage(
  project: DataProject,
  journals: PackageJournal[],
  files: Record<string, Uint8Array | null> = {},
): Buffer {
  const zip: Record<string, Uint8Array> = {
    'Manifest.xml': strToU8(manifestXml(project)),
    'PackageHeader.xml': strToU8(PACKAGE_HEADER_XML),
  };
  if (project.headers) {
    zip[project.headers.fileName] = encode(
      project,
      entityCsv(
        project.headers,
        journals.map((j) => j.header),
      ),
    );
  }
  zip[project.lines.fileName] = encode(
    project,
    entityCsv(
      project.lines,
      journals.flatMap((j) => j.lines.map((l) => ({ JournalNumber: j.header.JournalNumber, ...l }))),
    ),
  );
  for (const [name, data] of Object.entries(files)) {
    if (data === null) delete zip[name];
    else zip[name] = data;
  }
  return Buffer.from(zipSync(zip));
}

export function client(emu: () => Emulator) {
  const c = () => emu().credentials;

  const entra = (scope: string, secret = c().clientSecret): Promise<Response> =>
    fetch(`${c().authorityHost}/${c().tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c().clientId,
        client_secret: secret,
        scope,
      }),
    });

  const accessToken = async (res: Response): Promise<string> => {
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  const scmToken = async () => accessToken(await entra(`${c().fnoEnvironmentUrl}/.default`));

  const exchange = (assertion: string, init: Omit<RequestInit, 'body' | 'method'> = {}): Promise<Response> =>
    // Mixed-case field names on purpose, as Microsoft's sample client sends them.
    fetch(`${c().ivSecurityServiceUrl}/token`, {
      ...init,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_assertion_type: 'aad_app',
        client_assertion: assertion,
        Scope: IV_EXCHANGE_SCOPE,
        Context: c().environmentId,
        context_type: 'finops-env',
      }),
    });

  const ivToken = async () => accessToken(await exchange(await accessToken(await entra(IV_ENTRA_SCOPE))));

  const ivUrl = (op: string, env = c().environmentId) =>
    `${c().ivEndpoint}/api/environment/${env}/onhand/${op}`;

  const ivPost = (token: string | undefined, op: string, body: unknown, init: RequestInit = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'Api-Version': '1.0' };
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(ivUrl(op), { ...init, method: 'POST', headers, body: JSON.stringify(body) });
  };

  const query = async (token: string, dims: string[], values: string[][], productId = 'D0001') => {
    const res = await ivPost(token, 'exactquery', {
      filters: { organizationId: ['usmf'], productId: [productId], dimensions: dims, values },
      groupByValues: [],
      returnNegative: true,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as OnHandRow[];
  };

  /** POST enqueue; `entity` only when given (a package carries none). */
  const enqueueRaw = (
    token: string,
    body: Uint8Array | string,
    opts: { entity?: string; company?: string; contentType?: string } = {},
  ): Promise<Response> => {
    const q = new URLSearchParams({ company: opts.company ?? 'usmf' });
    if (opts.entity !== undefined) q.set('entity', opts.entity);
    return fetch(`${c().fnoEnvironmentUrl}/api/connector/enqueue/${c().activityId}?${q}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-ms-dyn-externalidentifier': 'batch-1',
        'content-type': opts.contentType ?? (typeof body === 'string' ? 'text/csv' : 'application/zip'),
      },
      body: typeof body === 'string' ? body : Buffer.from(body),
    });
  };

  const enqueue = async (
    token: string,
    body: Uint8Array | string,
    opts: { entity?: string; company?: string } = {},
  ) => {
    const res = await enqueueRaw(token, body, opts);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^"[0-9a-f-]{36}"$/);
    return JSON.parse(text) as string;
  };

  const jobStatus = async (token: string, messageId: string): Promise<JobStatus> => {
    const res = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/jobstatus/${c().activityId}?jobId=${messageId}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as JobStatus;
  };

  /** Polls until the state is neither Enqueued nor InProcess. */
  const waitJob = async (token: string, messageId: string): Promise<JobStatus> => {
    for (let i = 0; i < 400; i++) {
      const status = await jobStatus(token, messageId);
      if (!['Enqueued', 'InProcess'].includes(String(status.DataJobStatus.DataJobState))) return status;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('job never finished');
  };

  const executionErrorsRaw = (token: string, body: unknown) =>
    fetch(
      `${c().fnoEnvironmentUrl}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );

  /** GetExecutionErrors: `value` is a string holding a JSON list of {RecordId, Field, ErrorMessage}; the messages. */
  const executionErrors = async (token: string, executionId: string): Promise<string[]> => {
    const res = await executionErrorsRaw(token, { executionId });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { '@odata.context': string; value: unknown };
    expect(body['@odata.context']).toMatch(/\/data\/\$metadata#Edm\.String$/);
    expect(typeof body.value).toBe('string');
    const records = JSON.parse(body.value as string) as {
      RecordId: number;
      Field: string;
      ErrorMessage: string;
    }[];
    for (const r of records) expect(Object.keys(r)).toEqual(['RecordId', 'Field', 'ErrorMessage']);
    return records.map((r) => r.ErrorMessage);
  };

  const odata = (token: string, path: string) =>
    fetch(path.startsWith('http') ? path : `${c().fnoEnvironmentUrl}/data/${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  const entries = async (token: string, filter: string): Promise<Record<string, unknown>[]> => {
    const res = await odata(
      token,
      `InventoryServiceAdjustmentJournalEntries?cross-company=true&$filter=${encodeURIComponent(filter)}`,
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { value: Record<string, unknown>[] }).value;
  };

  const header = async (token: string, journalNumber: string, company = 'usmf') => {
    const res = await odata(
      token,
      `InventoryServiceAdjustmentJournalHeaders?cross-company=true&$filter=${encodeURIComponent(`JournalNumber eq '${journalNumber}' and dataAreaId eq '${company}'`)}`,
    );
    expect(res.status).toBe(200);
    const value = ((await res.json()) as { value: Record<string, unknown>[] }).value;
    expect(value).toHaveLength(1);
    return value[0] as Record<string, unknown>;
  };

  return {
    c,
    entra,
    accessToken,
    scmToken,
    exchange,
    ivToken,
    ivUrl,
    ivPost,
    query,
    enqueueRaw,
    enqueue,
    jobStatus,
    waitJob,
    executionErrorsRaw,
    executionErrors,
    odata,
    entries,
    header,
  };
}

/** An IV on-hand change event at D0001, site 1, warehouse 13 unless told otherwise. */
export const event = (
  id: string,
  qty: number,
  dims: Record<string, string> = { siteId: '1', locationId: '13' },
) => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  dimensions: dims,
  quantities: { '@iv': { adjustment: qty } },
});

/** A journal line as the client fills it (OData field names; the builder maps them to columns). */
export const line = (over: Record<string, unknown>) => ({
  ItemNumber: 'D0001',
  InventorySiteId: '1',
  InventoryWarehouseId: '13',
  TransactionDate: '2024-05-01',
  InventoryQuantity: 5,
  InventoryServiceAdjustmentOffsetDatasource: '@iv',
  InventoryServiceAdjustmentOffsetPhysicalMeasure: 'adjustment',
  ...over,
});

/** A journal of a package: header reference `ref`, expected status, and lines. */
export const journal = (
  ref: string,
  expected: string,
  lines: Record<string, unknown>[],
  header: Record<string, string> = {},
): PackageJournal => ({
  header: {
    JournalNumber: ref,
    JournalNameId: '',
    Description: `Store Ledger package ${ref}`,
    InventoryServiceJournalExpectedStatus: expected,
    ...header,
  },
  lines,
});
