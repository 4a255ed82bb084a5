// SCM as the emulator models it (docs/dynamics-contract.md): a data project
// that refuses uploads it cannot read, row-by-row import into the real entity shapes, RIS-style
// job status, GetExecutionErrors, and a posting job separate from import.
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toCsv } from './csv';
import { type DataProject, DEFAULT_DATA_PROJECT, type Emulator, startEmulator } from './index';
import { JournalStore } from './journal-store';
import {
  buildPackage,
  client,
  encode,
  entityCsv,
  event,
  journal,
  line,
  MANIFEST_NS,
  manifestXml,
  PACKAGE_HEADER_XML,
} from './test-client';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20, offsetLagMs: 5 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const {
  c,
  scmToken,
  ivToken,
  ivPost,
  query,
  enqueueRaw,
  enqueue,
  jobStatus,
  waitJob,
  odata,
  entries,
  header,
} = client(() => emu);
const { executionErrors, executionErrorsRaw } = client(() => emu);

const P = DEFAULT_DATA_PROJECT;
const HEADERS = P.headers?.entityName ?? '';
const LINES = P.lines.entityName;

/** Sends a package and waits for its job: the status and its execution errors. */
async function send(
  journals: Parameters<typeof buildPackage>[1],
  files?: Parameters<typeof buildPackage>[2],
) {
  const token = await scmToken();
  const id = await enqueue(token, buildPackage(emu.admin.dataProject(), journals, files));
  const status = await waitJob(token, id);
  const errors = await executionErrors(token, status.DataJobStatus.ExecutionIdentifier);
  return { token, id, status, errors };
}

/** A single-file project: the lines entity alone, enqueued with entity=. */
const fileProject = (over: Partial<DataProject> = {}): DataProject => ({
  projectName: 'IV adjustment lines',
  kind: 'file',
  format: 'CSV',
  headers: null,
  lines: {
    entityName: 'Inventory service adjustment journal entry',
    fileName: 'lines.csv',
    columns: [
      'InventoryServiceTransactionId',
      'dataAreaId',
      'JournalNameId',
      'ItemNumber',
      'InventorySiteId',
      'InventoryWarehouseId',
      'InventoryQuantity',
      'InventoryServiceAdjustmentOffsetDatasource',
      'InventoryServiceAdjustmentOffsetPhysicalMeasure',
    ].map((field) => ({ field, column: field, entityField: field.toUpperCase() })),
  },
  defaultExpectedStatus: 'Posted',
  ...over,
});

describe('import of a data package', () => {
  it('numbers the journals itself, keeps the header fields, links lines by the package reference', async () => {
    emu.admin.updateSettings({ postingJobEnabled: false });
    const { token, status, errors } = await send([
      journal('SL-7-1', 'Posted', [
        line({ InventoryServiceTransactionId: 'agg-1' }),
        line({ InventoryServiceTransactionId: 'agg-2', ItemNumber: 'd0002', InventoryQuantity: -1.5 }),
      ]),
      journal('SL-7-2', 'Created', [line({ InventoryServiceTransactionId: 'agg-3', InventoryQuantity: 2 })], {
        JournalNameId: 'IVAdj2',
      }),
    ]);
    expect(status.DataJobStatus).toMatchObject({
      DataJobState: 'Processed',
      DataProject: P.projectName,
      ExternalIdentifier: 'batch-1',
    });
    expect(status.DataJobStatus.ExecutionIdentifier).toMatch(/^Inventory Visibility adjustment journals-/);
    expect(status.DataJobStatus.DataJobCompletedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      status.ExecutionDetail.map((d) => [
        d.EntityName,
        d.StagingRecords,
        d.TargetRecords,
        d.TargetErrorCount,
      ]),
    ).toEqual([
      [HEADERS, 2, 2, 0],
      [LINES, 3, 3, 0],
    ]);
    expect(status.ExecutionDetail[0]).toMatchObject({
      Company: 'usmf',
      StagingStatus: 'Finished',
      TargetStatus: 'Finished',
    });
    expect(errors).toEqual([]);

    const lines = await entries(
      token,
      "InventoryServiceTransactionId eq 'agg-1' or InventoryServiceTransactionId eq 'AGG-2' or InventoryServiceTransactionId eq 'agg-3'",
    );
    expect(
      lines.map((l) => [l.JournalNumber, l.LineNumber, l.ItemNumber, l.InventoryQuantity, l.JournalNameId]),
    ).toEqual([
      ['IVJ-000001', 1, 'D0001', 5, 'IVAdj'],
      ['IVJ-000001', 2, 'D0002', -1.5, 'IVAdj'],
      ['IVJ-000002', 1, 'D0001', 2, 'IVAdj2'],
    ]);
    expect(lines[0]).not.toHaveProperty('InventoryServiceJournalExpectedStatus');
    expect(lines[0]).not.toHaveProperty('IsPosted');
    expect(await header(token, 'IVJ-000001')).toEqual({
      dataAreaId: 'usmf',
      JournalNumber: 'IVJ-000001',
      JournalNameId: 'IVAdj',
      Description: 'Store Ledger package SL-7-1',
      IsPosted: 'No',
      PostedDateTime: '1900-01-01T00:00:00Z',
      PostedUserId: '',
      DefaultInventorySiteId: '',
      DefaultWarehouseId: '',
      InventoryServiceJournalExpectedStatus: 'Posted',
      AreLinesDeletedAfterPosting: 'No',
    });
    expect((await header(token, 'IVJ-000002')).InventoryServiceJournalExpectedStatus).toBe('Created');
    const [first] = emu.admin.journals();
    expect(first).toMatchObject({
      packageReference: 'SL-7-1',
      externalIdentifier: 'batch-1',
      postingError: null,
    });
    // Every file of the package is in the admin read-out, as received.
    const [message] = emu.admin.messages();
    expect(message?.files.map((f) => f.name)).toEqual([
      'Manifest.xml',
      'PackageHeader.xml',
      P.headers?.fileName,
      P.lines.fileName,
    ]);
    expect(message?.files[3]?.text).toMatch(/^JOURNALNUMBER,INVENTORYSERVICETRANSACTIONID,ITEMNUMBER,/);
    expect(message?.files[3]?.text).toContain('OFFSETDATASOURCE,OFFSETPHYSICALMEASURE');
  });

  it('fails rows on their own: the rest imports (ProcessedWithErrors), messages come only from GetExecutionErrors', async () => {
    emu.admin.updateSettings({ postingJobEnabled: false });
    const { token, status, errors } = await send([
      journal('SL-1-1', 'Posted', [
        line({ InventoryServiceTransactionId: 'good' }),
        line({ InventoryServiceTransactionId: 'bad-item', ItemNumber: 'X999' }),
        line({ InventoryServiceTransactionId: 'bad-wh', InventoryWarehouseId: '99' }),
        line({ InventoryServiceTransactionId: 'bad-site', InventorySiteId: '7' }),
        line({ InventoryServiceTransactionId: 'orphan', JournalNumber: 'SL-1-9' }),
      ]),
      journal('SL-1-2', 'Posted', [line({ InventoryServiceTransactionId: 'in-bad-journal' })], {
        JournalNameId: 'Nope',
      }),
    ]);
    expect(status.DataJobStatus.DataJobState).toBe('ProcessedWithErrors');
    expect(
      status.ExecutionDetail.map((d) => [
        d.EntityName,
        d.StagingRecords,
        d.TargetRecords,
        d.TargetErrorCount,
        d.TargetStatus,
      ]),
    ).toEqual([
      [HEADERS, 2, 1, 1, 'Error'],
      [LINES, 6, 1, 5, 'Error'],
    ]);
    // The log is free text with counts; it names no row.
    expect(status.ExecutionLog).toMatch(/6 record\(s\) staged, 1 written to target, 5 error\(s\)/);
    for (const id of ['good', 'bad-item', 'bad-wh', 'bad-site', 'orphan', 'in-bad-journal'])
      expect(status.ExecutionLog).not.toContain(id);

    expect(errors).toHaveLength(6);
    expect(errors.find((e) => e.includes('ID: bad-site.'))).toMatch(
      /'7' in field 'Site' is not found in the related table 'Sites'/,
    );
    expect(errors).toContain(
      `Write failed for table row of type '${HEADERS}'. Journal number: SL-1-2. Infolog: Warning: The value 'Nope' in field 'Journal name' is not found in the related table 'Inventory journal names'.`,
    );
    expect(errors).toContain(
      `Write failed for table row of type '${LINES}'. Inventory service transaction ID: bad-item. Infolog: Warning: The value 'X999' in field 'Item number' is not found in the related table 'Items'.`,
    );
    expect(errors.find((e) => e.includes('ID: bad-wh.'))).toMatch(/'99' in field 'Warehouse'/);
    expect(errors.find((e) => e.includes('ID: orphan.'))).toMatch(
      /'SL-1-9' in field 'Journal number' is not found/,
    );
    expect(errors.find((e) => e.includes('ID: in-bad-journal.'))).toMatch(
      /'SL-1-2' in field 'Journal number' is not found/,
    );
    expect(
      (await entries(token, "InventoryServiceTransactionId ne 'zzz'")).map(
        (l) => l.InventoryServiceTransactionId,
      ),
    ).toEqual(['good']);

    // The cause fixed in SCM, the whole package again: the good row is a duplicate, bad-item imports now.
    emu.admin.addItem({ organizationId: 'usmf', itemNumber: 'X999' });
    const again = await send([
      journal('SL-1-1', 'Posted', [
        line({ InventoryServiceTransactionId: 'good' }),
        line({ InventoryServiceTransactionId: 'bad-item', ItemNumber: 'X999' }),
      ]),
    ]);
    expect(again.status.DataJobStatus.DataJobState).toBe('ProcessedWithErrors');
    expect(again.errors).toEqual([
      `Write failed for table row of type '${LINES}'. Inventory service transaction ID: good. Infolog: Error: Cannot create a record in Inventory service adjustment journal entry (InventoryServiceAdjustmentJournalEntry). Inventory service transaction ID: good. The record already exists.`,
    ]);
    expect((await entries(token, "InventoryServiceTransactionId eq 'bad-item'"))[0]?.JournalNumber).toBe(
      'IVJ-000002',
    );
    expect(emu.admin.counters()).toMatchObject({
      scmEnqueueCalls: 2,
      scmHeaderRowsReceived: 3,
      scmHeaderRowsFailed: 1,
      scmRowsReceived: 8,
      scmRowsImported: 2,
      scmRowsDuplicate: 1,
      scmRowsFailed: 5,
      journals: 2,
    });
  });

  it('a row with an unknown company fails; a line in another company than its header fails', async () => {
    emu.admin.setDataProject({
      ...P,
      lines: {
        ...P.lines,
        columns: [
          ...P.lines.columns,
          { field: 'dataAreaId', column: 'DATAAREAID', entityField: 'DATAAREAID' },
        ],
      },
    });
    const { errors } = await send([
      journal('SL-2-1', 'Created', [
        line({ InventoryServiceTransactionId: 'ok' }),
        line({ InventoryServiceTransactionId: 'other-co', dataAreaId: 'usrt', InventoryWarehouseId: '11' }),
        line({ InventoryServiceTransactionId: 'no-co', dataAreaId: 'zzzz' }),
      ]),
    ]);
    expect(errors.find((e) => e.includes('ID: no-co.'))).toMatch(
      /'zzzz' in field 'Company' is not found in the related table 'Legal entities'/,
    );
    expect(errors.find((e) => e.includes('ID: other-co.'))).toMatch(
      /company usrt; journal SL-2-1 is in company usmf/,
    );
    expect(emu.admin.journals().flatMap((j) => j.lines.map((l) => l.InventoryServiceTransactionId))).toEqual([
      'ok',
    ]);
  });
});

describe('uploads the data project cannot read: PreProcessError, nothing imported', () => {
  const lines = [line({ InventoryServiceTransactionId: 'x1' })];
  const pkg = (files: Record<string, Uint8Array | null>, project: DataProject = P) =>
    buildPackage(project, [journal('SL-9-1', 'Posted', lines)], files);
  const linesCsv = (columns: string[], values: string[]) =>
    encode(P, toCsv(columns, [Object.fromEntries(columns.map((c, i) => [c, values[i]]))]));
  const misspeltManifest = manifestXml(P).replace(
    '<XMLField>ITEMNUMBER</XMLField>',
    '<XMLField>ITEMNUMBR</XMLField>',
  );

  const cases: {
    name: string;
    body: () => Uint8Array | string;
    entity?: string;
    project?: DataProject;
    words: RegExp;
  }[] = [
    {
      name: 'the old shape: one bare CSV with OData column names, to a package project',
      body: () =>
        toCsv(
          [
            'InventoryServiceTransactionId',
            'dataAreaId',
            'InventoryServiceJournalExpectedStatus',
            'ItemNumber',
            'InventoryQuantity',
          ],
          [
            {
              InventoryServiceTransactionId: 'x1',
              dataAreaId: 'usmf',
              InventoryServiceJournalExpectedStatus: 'Posted',
              ItemNumber: 'D0001',
              InventoryQuantity: 1,
            },
          ],
        ),
      entity: 'Inventory adjustment',
      words:
        /^The uploaded file is not a data package\. Data project 'Inventory Visibility adjustment journals' imports a package: a zip file holding Manifest\.xml, PackageHeader\.xml/,
    },
    {
      name: 'a zip that is not one',
      body: () => Buffer.from('PK\u0003\u0004 broken'),
      words: /not a data package/,
    },
    {
      name: 'no Manifest.xml',
      body: () => pkg({ 'Manifest.xml': null }),
      words: /^Manifest\.xml was not found in the package\.$/,
    },
    {
      name: 'no PackageHeader.xml',
      body: () => pkg({ 'PackageHeader.xml': null }),
      words: /^PackageHeader\.xml was not found in the package\.$/,
    },
    {
      name: 'a manifest that is not XML',
      body: () => pkg({ 'Manifest.xml': strToU8('<DataManagementPackageManifest><PackageEntityList>') }),
      words: /^Manifest\.xml is not valid XML/,
    },
    {
      name: 'a manifest that lists no entity (zipped by hand)',
      body: () =>
        zipSync({
          'Manifest.xml': strToU8(
            `<DataManagementPackageManifest xmlns="${MANIFEST_NS}"><DefinitionGroupName>x</DefinitionGroupName><PackageEntityList/></DataManagementPackageManifest>`,
          ),
          'PackageHeader.xml': strToU8(PACKAGE_HEADER_XML),
        }),
      words: /^The package manifest lists no entity\.$/,
    },
    {
      name: 'a PackageHeader.xml that is not a package header',
      body: () => pkg({ 'PackageHeader.xml': strToU8('<Something/>') }),
      words: /^PackageHeader\.xml is not a data package header/,
    },
    {
      name: 'a manifest entity that is not in the project',
      body: () =>
        pkg({
          'Manifest.xml': strToU8(manifestXml(P).replaceAll(LINES, 'Inventory adjustment journal entry')),
        }),
      words:
        /^Entity 'Inventory adjustment journal entry' in the package manifest is not part of data project 'Inventory Visibility adjustment journals'\.$/,
    },
    {
      name: 'an entity file named in the manifest but missing',
      body: () => pkg({ [P.lines.fileName]: null }),
      words: new RegExp(
        `^File '${P.lines.fileName}' of entity '${LINES}', named in the package manifest, is not in the package\\.$`,
      ),
    },
    {
      name: 'a misspelt column in a file',
      body: () =>
        pkg({
          [P.lines.fileName]: linesCsv(
            ['JOURNALNUMBER', 'INVENTORYSERVICETRANSACTIONID', 'ITEMNUMBR', 'INVENTORYQUANTITY'],
            ['SL-9-1', 'x1', 'D0001', '1'],
          ),
        }),
      words: new RegExp(
        `^Column 'ITEMNUMBR' in file '${P.lines.fileName}' is not mapped to any staging field of entity '${LINES}' in data project 'Inventory Visibility adjustment journals'\\.$`,
      ),
    },
    {
      name: 'a misspelt column in the manifest',
      body: () => pkg({ 'Manifest.xml': strToU8(misspeltManifest) }),
      words:
        /^Column 'ITEMNUMBR' in the package manifest is not mapped to any staging field of entity 'Inventory service adjustment journal entry'/,
    },
    {
      name: 'a column that appears twice',
      body: () =>
        pkg({
          [P.lines.fileName]: linesCsv(
            [
              'JOURNALNUMBER',
              'INVENTORYSERVICETRANSACTIONID',
              'ITEMNUMBER',
              'ItemNumber',
              'INVENTORYQUANTITY',
            ],
            ['SL-9-1', 'x1', 'D0001', 'D0001', '1'],
          ),
        }),
      words: /^Column 'ItemNumber' appears more than once in file/,
    },
    {
      name: 'a lines file carrying the expected status',
      body: () =>
        pkg({
          [P.lines.fileName]: linesCsv(
            [
              'JOURNALNUMBER',
              'INVENTORYSERVICETRANSACTIONID',
              'ITEMNUMBER',
              'INVENTORYQUANTITY',
              'INVENTORYSERVICEJOURNALEXPECTEDSTATUS',
            ],
            ['SL-9-1', 'x1', 'D0001', '1', 'Posted'],
          ),
        }),
      words: new RegExp(
        `^Column 'INVENTORYSERVICEJOURNALEXPECTEDSTATUS' in file '${P.lines.fileName}' cannot be mapped: entity '${LINES}' has no field InventoryServiceJournalExpectedStatus\\. The expected status is a field of the journal header \\(entity '${HEADERS}'\\)\\.$`,
      ),
    },
    {
      name: 'a lines file without the column of a required field',
      body: () =>
        pkg({
          [P.lines.fileName]: linesCsv(
            ['JOURNALNUMBER', 'ITEMNUMBER', 'INVENTORYQUANTITY'],
            ['SL-9-1', 'D0001', '1'],
          ),
        }),
      words:
        /has no column 'INVENTORYSERVICETRANSACTIONID', which entity .* requires \(field InventoryServiceTransactionId\)/,
    },
    {
      name: 'a UTF-8 file to a CSV-Unicode project',
      project: { ...P, format: 'CSV-Unicode' },
      body: () => {
        const utf16 = { ...P, format: 'CSV-Unicode' as const };
        return pkg(
          { [P.lines.fileName]: encode(P, entityCsv(P.lines, [{ ...lines[0], JournalNumber: 'SL-9-1' }])) },
          utf16,
        );
      },
      words: new RegExp(`^File '${P.lines.fileName}': Selected file is not Unicode\\.$`),
    },
    {
      name: 'a file project without the entity parameter',
      project: fileProject(),
      body: () =>
        encode(
          P,
          toCsv(
            ['InventoryServiceTransactionId', 'ItemNumber', 'InventoryQuantity'],
            [{ InventoryServiceTransactionId: 'x1', ItemNumber: 'D0001', InventoryQuantity: 1 }],
          ),
        ),
      words:
        /^The entity name is missing\. Data project 'IV adjustment lines' imports single files: enqueue each file with entity=Inventory service adjustment journal entry\.$/,
    },
    {
      name: 'a file project with a wrong entity parameter',
      project: fileProject(),
      entity: 'Inventory adjustment',
      body: () =>
        encode(
          P,
          toCsv(
            ['InventoryServiceTransactionId', 'ItemNumber', 'InventoryQuantity'],
            [{ InventoryServiceTransactionId: 'x1', ItemNumber: 'D0001', InventoryQuantity: 1 }],
          ),
        ),
      words: /^Entity 'Inventory adjustment' is not part of data project 'IV adjustment lines'\.$/,
    },
    {
      name: 'a package to a file project',
      project: fileProject(),
      entity: 'Inventory service adjustment journal entry',
      body: () => pkg({}),
      words: /is a zip package; data project 'IV adjustment lines' imports single CSV files/,
    },
  ];

  for (const t of cases) {
    it(`${t.name}`, async () => {
      if (t.project) emu.admin.setDataProject(t.project);
      const token = await scmToken();
      const id = await enqueue(token, t.body(), t.entity === undefined ? {} : { entity: t.entity });
      const status = await waitJob(token, id);
      expect(status.DataJobStatus.DataJobState).toBe('PreProcessError');
      expect(
        status.ExecutionDetail.every((d) => d.StagingRecords === 0 && d.StagingStatus === 'NotRun'),
      ).toBe(true);
      const errors = await executionErrors(token, status.DataJobStatus.ExecutionIdentifier);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(t.words);
      expect(status.ExecutionLog).not.toContain(errors[0]);
      expect(emu.admin.journals()).toHaveLength(0);
      expect(emu.admin.counters()).toMatchObject({ scmMessagesRefused: 1, scmRowsReceived: 0, journals: 0 });
      expect(emu.admin.messages()[0]?.errors).toEqual(errors);
    });
  }
});

describe('a single-file project', () => {
  it('takes one CSV-Unicode file with entity=, one journal per company and journal name, the project default expected status', async () => {
    const project = fileProject({ format: 'CSV-Unicode', defaultExpectedStatus: 'Posted' });
    emu.admin.setDataProject(project);
    const rows = [
      {
        InventoryServiceTransactionId: 'f1',
        dataAreaId: 'usmf',
        ItemNumber: 'D0001',
        InventorySiteId: '1',
        InventoryWarehouseId: '13',
        InventoryQuantity: 1,
      },
      {
        InventoryServiceTransactionId: 'f2',
        dataAreaId: 'usmf',
        JournalNameId: 'IVAdj2',
        ItemNumber: 'D0001',
        InventorySiteId: '1',
        InventoryWarehouseId: '13',
        InventoryQuantity: 2,
      },
      {
        InventoryServiceTransactionId: 'f3',
        dataAreaId: 'usrt',
        ItemNumber: 'D0001',
        InventorySiteId: '1',
        InventoryWarehouseId: '11',
        InventoryQuantity: 3,
      },
    ];
    const token = await scmToken();
    const id = await enqueue(token, encode(project, entityCsv(project.lines, rows)), {
      entity: project.lines.entityName.toUpperCase(),
    });
    const status = await waitJob(token, id);
    expect(status.DataJobStatus.DataJobState).toBe('Processed');
    expect(status.ExecutionDetail.map((d) => d.EntityName)).toEqual([project.lines.entityName]);
    await emu.admin.idle();
    expect(
      emu.admin
        .journals()
        .map((j) => [
          j.dataAreaId,
          j.JournalNumber,
          j.JournalNameId,
          j.InventoryServiceJournalExpectedStatus,
          j.IsPosted,
          j.packageReference,
        ]),
    ).toEqual([
      ['usmf', 'IVJ-000001', 'IVAdj', 'Posted', 'Yes', null],
      ['usmf', 'IVJ-000002', 'IVAdj2', 'Posted', 'Yes', null],
      ['usrt', 'IVJ-000001', 'IVAdj', 'Posted', 'Yes', null],
    ]);
    expect(emu.admin.messages()[0]?.files[0]?.text).toMatch(/^InventoryServiceTransactionId,dataAreaId,/);
  });
});

describe('the real entity shapes over OData', () => {
  it('headers have no posting status or error field; entries have no expected status', async () => {
    const token = await scmToken();
    const refused = async (path: string, field: string) => {
      const res = await odata(token, path);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { innererror: { message: string } } };
      expect(body.error.innererror.message).toContain(`Could not find a property named '${field}'`);
    };
    const H = 'InventoryServiceAdjustmentJournalHeaders?cross-company=true';
    await refused(
      `${H}&$select=JournalNumber,InventoryServicePostingStatus`,
      'InventoryServicePostingStatus',
    );
    await refused(`${H}&$select=InventoryServicePostingError`, 'InventoryServicePostingError');
    await refused(
      `${H}&$filter=${encodeURIComponent("InventoryServicePostingStatus eq 'PostError'")}`,
      'InventoryServicePostingStatus',
    );
    await refused(
      `InventoryServiceAdjustmentJournalEntries?cross-company=true&$select=InventoryServiceJournalExpectedStatus`,
      'InventoryServiceJournalExpectedStatus',
    );
    const ok = await odata(
      token,
      `${H}&$select=JournalNumber,IsPosted,PostedDateTime,PostedUserId,InventoryServiceJournalExpectedStatus,Description`,
    );
    expect(ok.status).toBe(200);
  });

  it('a data project whose lines map the expected status is refused by the admin setter, over HTTP too', async () => {
    const bad = {
      ...P,
      lines: {
        ...P.lines,
        columns: [
          ...P.lines.columns,
          { field: 'InventoryServiceJournalExpectedStatus', column: 'X', entityField: 'X' },
        ],
      },
    };
    expect(() => emu.admin.setDataProject(bad)).toThrow(/lines\.columns\.\d+\.field/);
    const res = await fetch(`${emu.url}/admin/data-project`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^Invalid data project: lines\.columns/);
    const twice = {
      ...P,
      lines: {
        ...P.lines,
        columns: [...P.lines.columns, { field: 'ItemNumber', column: 'ITEM', entityField: 'ITEM' }],
      },
    };
    expect(() => emu.admin.setDataProject(twice)).toThrow(/ItemNumber is mapped twice/);
    expect(emu.admin.dataProject()).toEqual(P);
    expect(await (await fetch(`${emu.url}/admin/data-project`)).json()).toEqual(P);
  });
});

describe('job status (RIS DataJobStatusDetail) and GetExecutionErrors', () => {
  it('goes Enqueued → InProcess (with an ExecutionIdentifier and a start time) → Processed', async () => {
    emu.admin.updateSettings({ importDelayMs: 300 });
    const token = await scmToken();
    const id = await enqueue(
      token,
      buildPackage(P, [journal('SL-0-1', 'Created', [line({ InventoryServiceTransactionId: 'q1' })])]),
    );
    const first = await jobStatus(token, id);
    expect(first.DataJobStatus).toMatchObject({
      DataJobState: 'Enqueued',
      ExecutionIdentifier: '',
      DataJobStartedDateTime: '1900-01-01T00:00:00Z',
      DataJobCompletedDateTime: '1900-01-01T00:00:00Z',
    });
    expect(first.ExecutionDetail).toEqual([]);
    const states: unknown[] = [];
    let last = first;
    while (['Enqueued', 'InProcess'].includes(String(last.DataJobStatus.DataJobState))) {
      states.push(last.DataJobStatus.DataJobState);
      if (last.DataJobStatus.DataJobState === 'InProcess')
        expect(last.DataJobStatus.ExecutionIdentifier).not.toBe('');
      await new Promise((r) => setTimeout(r, 20));
      last = await jobStatus(token, id);
    }
    expect([...new Set(states)]).toEqual(['Enqueued', 'InProcess']);
    expect(last.DataJobStatus.DataJobState).toBe('Processed');
  });

  it('jobStateAsNumber, noState and unknownState answer as told; the import goes on regardless', async () => {
    const token = await scmToken();
    const id = await enqueue(
      token,
      buildPackage(P, [journal('SL-3-1', 'Created', [line({ InventoryServiceTransactionId: 's1' })])]),
    );
    await emu.admin.idle();
    expect((await jobStatus(token, id)).DataJobStatus.DataJobState).toBe('Processed');
    emu.admin.updateSettings({ jobStateAsNumber: true });
    expect((await jobStatus(token, id)).DataJobStatus.DataJobState).toBe(5);
    emu.admin.updateSettings({ jobStateAsNumber: false, jobStatusShape: 'noState' });
    const none = await jobStatus(token, id);
    expect(none.DataJobStatus).not.toHaveProperty('DataJobState');
    expect(none.DataJobStatus.ExecutionIdentifier).not.toBe('');
    emu.admin.updateSettings({ jobStatusShape: 'unknownState' });
    expect((await jobStatus(token, id)).DataJobStatus.DataJobState).toBe('Paused');
    expect((await entries(token, "InventoryServiceTransactionId eq 's1'")).length).toBe(1);
  });

  it('GetExecutionErrors: unknown ID is an empty list, a missing ID is a 400, no token is a 401, faults apply', async () => {
    const token = await scmToken();
    expect(await executionErrors(token, 'no-such-execution')).toEqual([]);
    const missing = await executionErrorsRaw(token, {});
    expect(missing.status).toBe(400);
    expect(
      ((await missing.json()) as { error: { innererror: { message: string } } }).error.innererror.message,
    ).toMatch(/'executionId'/);
    const anonymous = await fetch(
      `${c().fnoEnvironmentUrl}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors`,
      {
        method: 'POST',
        body: '{"executionId":"x"}',
      },
    );
    expect(anonymous.status).toBe(401);
    emu.admin.setFault({ endpoint: 'scmExecutionErrors', rate: 1, kinds: ['429'], retryAfterSeconds: 3 });
    const throttled = await executionErrorsRaw(token, { executionId: 'x' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(emu.admin.counters()).toMatchObject({ scmExecutionErrorsCalls: 2, faultsInjected: 1 });
  });

  it('unknown jobs are 404, an unknown activity is 404 with words', async () => {
    const scm = await scmToken();
    const unknown = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/jobstatus/${c().activityId}?jobId=nope`,
      {
        headers: { authorization: `Bearer ${scm}` },
      },
    );
    expect(unknown.status).toBe(404);
    const badActivity = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/enqueue/00000000-0000-4000-8000-000000000000`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${scm}` },
        body: 'x',
      },
    );
    expect(badActivity.status).toBe(404);
    expect(
      ((await badActivity.json()) as { error: { innererror: { message: string } } }).error.innererror.message,
    ).toMatch(/activity/);
  });
});

describe('the posting job', () => {
  const posted = (id: string, qty: number) =>
    line({ InventoryServiceTransactionId: id, InventoryQuantity: qty });

  it('import never posts; a disabled job posts only on "run now" (in-process and over HTTP); None/Created/SkipPosting stay', async () => {
    emu.admin.updateSettings({ postingJobEnabled: false });
    const { token } = await send([
      journal('SL-4-1', 'Posted', [posted('p1', 1)]),
      journal('SL-4-2', 'Created', [posted('c1', 1)]),
      journal('SL-4-3', 'None', [posted('n1', 1)]),
      journal('SL-4-4', 'SkipPosting', [posted('k1', 1)]),
      journal('SL-4-5', 'Posted', [posted('p2', 1)]),
    ]);
    await emu.admin.idle();
    await new Promise((r) => setTimeout(r, 60));
    expect(emu.admin.journals().map((j) => j.IsPosted)).toEqual(['No', 'No', 'No', 'No', 'No']);
    expect(emu.admin.counters().postingJobRuns).toBe(0);

    const run = emu.admin.runPostingJob();
    expect(run).toEqual({
      posted: [
        { dataAreaId: 'usmf', JournalNumber: 'IVJ-000001' },
        { dataAreaId: 'usmf', JournalNumber: 'IVJ-000005' },
      ],
      failed: [],
    });
    const h = await header(token, 'IVJ-000001');
    expect(h).toMatchObject({ IsPosted: 'Yes', PostedUserId: 'Admin' });
    expect(h.PostedDateTime).not.toBe('1900-01-01T00:00:00Z');
    expect(emu.admin.journals().map((j) => j.IsPosted)).toEqual(['Yes', 'No', 'No', 'No', 'Yes']);

    const again = await fetch(`${emu.url}/admin/posting/run`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ posted: [], failed: [] });
    expect(emu.admin.counters()).toMatchObject({ postingJobRuns: 2, journalsPosted: 2 });
  });

  it('recurs every postingDelayMs; switching it on posts what waited', async () => {
    emu.admin.updateSettings({ postingJobEnabled: false });
    await send([journal('SL-5-1', 'Posted', [posted('r1', 1)])]);
    await emu.admin.idle();
    expect(emu.admin.journals()[0]?.IsPosted).toBe('No');
    emu.admin.updateSettings({ postingJobEnabled: true, postingDelayMs: 30 });
    await emu.admin.idle();
    expect(emu.admin.journals()[0]?.IsPosted).toBe('Yes');
    expect(emu.admin.counters().postingJobRuns).toBeGreaterThanOrEqual(1);
  });

  it('one line that would make on-hand negative fails the whole journal; the text only in the admin read-out; a later pass posts it', async () => {
    const iv = await ivToken();
    await ivPost(iv, 'bulk', [event('e-ok', 10), event('e-neg', -150)]);
    const { token } = await send([journal('SL-6-1', 'Posted', [posted('ok', 10), posted('neg', -150)])]);
    // idle does not wait for passes that cannot change anything.
    await emu.admin.idle();
    const failed = await header(token, 'IVJ-000001');
    expect(failed.IsPosted).toBe('No');
    expect(JSON.stringify(failed)).not.toMatch(/negative/);
    const [j] = emu.admin.journals();
    expect(j?.postingError).toContain(
      'Journal IVJ-000001, line 2: inventory on-hand for item number D0001 cannot become negative',
    );
    expect(j?.postingError).toContain('on-hand 110, quantity -150');
    expect(emu.admin.onHand({ organizationId: 'usmf', productId: 'D0001' })[0]?.quantities.fno).toEqual({
      physicalinvent: 100,
    });

    // Passes go on while the cause stays: attempts grow, the journal counts once.
    await new Promise((r) => setTimeout(r, 150));
    const during = emu.admin.counters();
    expect(during.postingAttemptsFailed).toBeGreaterThanOrEqual(3);
    expect(during).toMatchObject({ journalsPostError: 1, journalsPosted: 0 });

    // The cause fixed in SCM (over the HTTP admin API): the next pass posts the journal.
    const fix = await fetch(`${emu.url}/admin/onhand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationId: 'usmf',
        itemNumber: 'D0001',
        dimensions: { siteId: '1', locationId: '13' },
        quantity: 40,
      }),
    });
    expect(fix.status).toBe(200);
    await emu.admin.idle();
    expect(await header(token, 'IVJ-000001')).toMatchObject({ IsPosted: 'Yes' });
    const after = emu.admin.counters();
    expect(after).toMatchObject({ journalsPostError: 1, journalsPosted: 1 });

    // Posted once; the offset took the external measure back to 0, once.
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.admin.counters()).toMatchObject({
      journalsPosted: 1,
      postingAttemptsFailed: after.postingAttemptsFailed,
      offsetsApplied: 2,
    });
    expect((await query(iv, ['siteId', 'locationId'], [['1', '13']]))[0]?.quantities).toEqual({
      '@iv': { adjustment: 0 },
      fno: { physicalinvent: 0 },
    });
  });

  it('the offset applies only to configured pairs, and only after offsetLagMs', async () => {
    emu.admin.updateSettings({ offsetLagMs: 500, postingJobEnabled: false });
    const iv = await ivToken();
    await ivPost(iv, 'bulk', [event('a', 4), { ...event('b', 3), quantities: { pos: { sold: 3 } } }]);
    await send([
      journal('SL-8-1', 'Posted', [
        posted('a', 4),
        line({
          InventoryServiceTransactionId: 'b',
          InventoryQuantity: 3,
          InventoryServiceAdjustmentOffsetDatasource: 'pos',
          InventoryServiceAdjustmentOffsetPhysicalMeasure: 'sold',
        }),
      ]),
    ]);
    emu.admin.runPostingJob();
    const cell = async () => (await query(iv, ['siteId', 'locationId'], [['1', '13']]))[0]?.quantities;
    // Posted: fno moved at once, the offset not yet.
    expect(await cell()).toEqual({
      '@iv': { adjustment: 4 },
      pos: { sold: 3 },
      fno: { physicalinvent: 107 },
    });
    await emu.admin.idle();
    // pos/sold is not on the offset tab: it stays.
    expect(await cell()).toEqual({
      '@iv': { adjustment: 0 },
      pos: { sold: 3 },
      fno: { physicalinvent: 107 },
    });

    emu.admin.updateSettings({ offsetPairs: [{ dataSource: 'POS', measure: 'Sold' }], offsetLagMs: 0 });
    await ivPost(iv, 'bulk', [{ ...event('c', 1), quantities: { pos: { sold: 1 } } }]);
    await send([
      journal('SL-8-2', 'Posted', [
        line({
          InventoryServiceTransactionId: 'c',
          InventoryQuantity: 1,
          InventoryServiceAdjustmentOffsetDatasource: 'pos',
          InventoryServiceAdjustmentOffsetPhysicalMeasure: 'sold',
        }),
      ]),
    ]);
    emu.admin.runPostingJob();
    await emu.admin.idle();
    expect(await cell()).toEqual({
      '@iv': { adjustment: 0 },
      pos: { sold: 3 },
      fno: { physicalinvent: 108 },
    });
  });
});

describe('OData read-back', () => {
  it('answers a filter on InventoryServiceTransactionId or JournalNumber from its index, as the scan would', async () => {
    const usrt = { dataAreaId: 'usrt', InventoryWarehouseId: '11' };
    emu.admin.setDataProject({
      ...P,
      headers: P.headers && {
        ...P.headers,
        columns: [
          ...P.headers.columns,
          { field: 'dataAreaId', column: 'DATAAREAID', entityField: 'DATAAREAID' },
        ],
      },
    });
    await send([
      journal(
        'r1',
        'Created',
        ['a', 'b', 'c', 'd', 'e'].map((t) => line({ InventoryServiceTransactionId: t })),
      ),
      journal(
        'r2',
        'Created',
        [
          line({ ...usrt, InventoryServiceTransactionId: 'X1' }),
          line({ ...usrt, InventoryServiceTransactionId: 'x2' }),
        ],
        { dataAreaId: 'usrt' },
      ),
    ]);
    const { token: scm } = await send([
      journal('r3', 'Created', [line({ InventoryServiceTransactionId: 'f' })]),
    ]);
    const scan = vi.spyOn(JournalStore.prototype, 'all');
    const ids = async (path: string) => {
      const res = await odata(scm, path);
      expect(res.status).toBe(200);
      return ((await res.json()) as { value: Record<string, unknown>[] }).value.map((r) =>
        [r.dataAreaId, r.JournalNumber, r.LineNumber, r.InventoryServiceTransactionId].join('/'),
      );
    };
    const both = async (set: string, filter: string) => {
      const indexed = await ids(`${set}?cross-company=true&$filter=${encodeURIComponent(filter)}`);
      expect(scan).not.toHaveBeenCalled();
      // The same filter, made unindexable by an `or` that matches nothing: the scan.
      const scanned = await ids(
        `${set}?cross-company=true&$filter=${encodeURIComponent(`${filter} or dataAreaId eq 'none'`)}`,
      );
      expect(scan).toHaveBeenCalled();
      scan.mockClear();
      expect(indexed).toEqual(scanned);
      return indexed;
    };
    const E = 'InventoryServiceAdjustmentJournalEntries';
    try {
      expect(
        await both(
          E,
          "InventoryServiceTransactionId eq 'f' or InventoryServiceTransactionId eq 'x1' or InventoryServiceTransactionId eq 'A' or InventoryServiceTransactionId eq 'nope'",
        ),
      ).toEqual(['usmf/IVJ-000001/1/a', 'usrt/IVJ-000001/1/X1', 'usmf/IVJ-000002/1/f']);
      expect(await both(E, "JournalNumber eq 'ivj-000001'")).toHaveLength(7);
      expect(await both(E, "JournalNumber eq 'IVJ-000001' and dataAreaId eq 'USRT'")).toEqual([
        'usrt/IVJ-000001/1/X1',
        'usrt/IVJ-000001/2/x2',
      ]);
      expect(
        await both(
          E,
          "(InventoryServiceTransactionId eq 'a' and dataAreaId eq 'usrt') or InventoryServiceTransactionId eq 'b'",
        ),
      ).toEqual(['usmf/IVJ-000001/2/b']);
      expect(await both('InventoryServiceAdjustmentJournalHeaders', "JournalNumber eq 'IVJ-000001'")).toEqual(
        ['usmf/IVJ-000001//', 'usrt/IVJ-000001//'],
      );
      // Without cross-company=true: the default company only, from the index too.
      const local = await odata(scm, `${E}?$filter=${encodeURIComponent("JournalNumber eq 'IVJ-000001'")}`);
      expect(((await local.json()) as { value: unknown[] }).value).toHaveLength(5);
      expect(scan).not.toHaveBeenCalled();

      // Paging and $select on the index path.
      emu.admin.updateSettings({ odataPageSize: 2 });
      const seen: unknown[] = [];
      let next: string | undefined =
        `${E}?cross-company=true&$select=InventoryServiceTransactionId,LineNumber&$filter=${encodeURIComponent("JournalNumber eq 'IVJ-000001' and dataAreaId eq 'usmf'")}`;
      let pages = 0;
      while (next) {
        const page = (await (await odata(scm, next)).json()) as {
          value: Record<string, unknown>[];
          '@odata.nextLink'?: string;
        };
        pages++;
        for (const v of page.value)
          expect(Object.keys(v)).toEqual(['InventoryServiceTransactionId', 'LineNumber']);
        seen.push(...page.value.map((v) => v.InventoryServiceTransactionId));
        next = page['@odata.nextLink'];
        if (next) expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scm\/data\/.*\$skip=\d/);
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(scan).not.toHaveBeenCalled();
    } finally {
      scan.mockRestore();
    }
  });

  it('`in` is refused with an OData error', async () => {
    const scm = await scmToken();
    const refused = await odata(
      scm,
      `InventoryServiceAdjustmentJournalEntries?cross-company=true&$filter=${encodeURIComponent("InventoryServiceTransactionId in ('a','b')")}`,
    );
    expect(refused.status).toBe(400);
    const err = (await refused.json()) as { error: { message: string; innererror: { message: string } } };
    expect(err.error.message).toBe('An error has occurred.');
    expect(err.error.innererror.message).toMatch(/'in' operator/);
  });
});

describe('admin read-outs', () => {
  it('count every message and journal once, enqueue answers lost included', async () => {
    const token = await scmToken();
    const body = buildPackage(P, [
      journal('SL-L-1', 'Created', [line({ InventoryServiceTransactionId: 'l1' })]),
    ]);
    emu.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['lost'] });
    await expect(enqueueRaw(token, body)).rejects.toThrow();
    emu.admin.clearFaults();
    // The client resends what it could not confirm: the second copy's row is a duplicate.
    await enqueue(token, body);
    await emu.admin.idle();
    expect(emu.admin.messages().map((m) => [m.state, m.bytes, m.contentType])).toEqual([
      ['Processed', body.length, 'application/zip'],
      ['ProcessedWithErrors', body.length, 'application/zip'],
    ]);
    expect(emu.admin.journals().map((j) => j.lines.map((l) => l.InventoryServiceTransactionId))).toEqual([
      ['l1'],
      [],
    ]);
    expect(emu.admin.counters()).toMatchObject({
      scmEnqueueCalls: 2,
      journals: 2,
      scmRowsImported: 1,
      scmRowsDuplicate: 1,
    });
  });
});
