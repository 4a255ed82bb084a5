// The data package of docs/dynamics-contract.md §2, after
// https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/data-entities-data-packages:
// a zip with Manifest.xml, PackageHeader.xml and one file per entity of the data project.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildJournalPayload, type JournalFile } from '../../src/main/upstream/data-package';
import { ImportProfileError, readImportProfile } from '../../src/main/upstream/import-profile-reader';
import {
  DEFAULT_IMPORT_PROFILE,
  type ImportProfile,
  importProfileSchema,
} from '../../src/shared/import-profile';

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function journal(ref: string, expected: 'Posted' | 'Created', ids: string[]): JournalFile {
  return {
    header: {
      JournalNumber: ref,
      JournalNameId: 'IVAdj',
      Description: `Store Ledger ${ref}`,
      InventoryServiceJournalExpectedStatus: expected,
    },
    lines: ids.map((id) => ({
      JournalNumber: ref,
      InventoryServiceTransactionId: id,
      ItemNumber: 'D0001',
      InventorySiteId: '1',
      InventoryWarehouseId: '13',
      TransactionDate: '2026-11-30',
      InventoryQuantity: 5,
      UnitCost: null,
      InventoryServiceAdjustmentOffsetDatasource: '@iv',
      InventoryServiceAdjustmentOffsetPhysicalMeasure: 'adjustment',
    })),
  };
}

function unpack(profile: ImportProfile, journals: JournalFile[]) {
  const payload = buildJournalPayload(profile, journals, 'Store Ledger package p-1');
  expect(payload).toMatchObject({ contentType: 'application/zip', entity: null });
  return unzipSync(payload.body as Uint8Array);
}

describe('data package', () => {
  it('holds Manifest.xml, PackageHeader.xml and one CSV per entity of the profile', () => {
    const files = unpack(DEFAULT_IMPORT_PROFILE, [
      journal('SL-a-1', 'Posted', ['agg-1', 'agg-2']),
      journal('SL-a-2', 'Created', ['agg-3']),
    ]);
    expect(Object.keys(files).sort()).toEqual(
      [
        'Inventory service adjustment journal entry.csv',
        'Inventory service adjustment journal header.csv',
        'Manifest.xml',
        'PackageHeader.xml',
      ].sort(),
    );
    const manifest = text(files['Manifest.xml']);
    expect(manifest).toContain('xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement"');
    expect(manifest).toContain(
      '<DefinitionGroupName>Inventory Visibility adjustment journals</DefinitionGroupName>',
    );
    expect(manifest).toContain(
      '<InputFilePath>Inventory service adjustment journal entry.csv</InputFilePath>',
    );
    expect(manifest).toContain(
      '<EntityField>OFFSETDATASOURCE</EntityField><XMLField>OFFSETDATASOURCE</XMLField>',
    );
    expect(manifest.match(/<SourceFormat>CSV<\/SourceFormat>/g)).toHaveLength(2);
    const header = text(files['PackageHeader.xml']);
    expect(header).toContain('<PackageType>DefinitionGroup</PackageType>');
    expect(header).toContain('<PackageVersion>2</PackageVersion>');
  });

  it('puts the expected status on the journal headers only, and links lines by the journal reference', () => {
    const files = unpack(DEFAULT_IMPORT_PROFILE, [
      journal('SL-a-1', 'Posted', ['agg-1', 'agg-2']),
      journal('SL-a-2', 'Created', ['agg-3']),
    ]);
    const headers = text(files['Inventory service adjustment journal header.csv']);
    const lines = text(files['Inventory service adjustment journal entry.csv']);
    expect(headers.startsWith('\uFEFF')).toBe(true);
    expect(headers).toBe(
      '\uFEFFJOURNALNUMBER,JOURNALNAMEID,DESCRIPTION,INVENTORYSERVICEJOURNALEXPECTEDSTATUS\r\nSL-a-1,IVAdj,Store Ledger SL-a-1,Posted\r\nSL-a-2,IVAdj,Store Ledger SL-a-2,Created\r\n',
    );
    const [columns, ...rows] = lines
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(columns).not.toMatch(/EXPECTEDSTATUS/);
    expect(columns?.split(',')[0]).toBe('JOURNALNUMBER');
    expect(rows.map((r) => r.split(',')[0])).toEqual(['SL-a-1', 'SL-a-1', 'SL-a-2']);
  });

  it('writes CSV-Unicode as UTF-16LE with a byte order mark', () => {
    const profile = { ...DEFAULT_IMPORT_PROFILE, format: 'CSV-Unicode' as const };
    const files = unpack(profile, [journal('SL-a-1', 'Posted', ['agg-1'])]);
    const bytes = files['Inventory service adjustment journal entry.csv']!;
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    expect(Buffer.from(bytes).toString('utf16le')).toContain('agg-1');
  });

  it('sends a single-file profile as one CSV with the entity named', () => {
    const profile = importProfileSchema.parse({
      ...DEFAULT_IMPORT_PROFILE,
      kind: 'file',
      headers: null,
      lines: {
        ...DEFAULT_IMPORT_PROFILE.lines,
        columns: DEFAULT_IMPORT_PROFILE.lines.columns.filter((c) => c.field !== 'JournalNumber'),
      },
    });
    const payload = buildJournalPayload(profile, [journal('SL-a-1', 'Posted', ['agg-1'])], 'x');
    expect(payload.entity).toBe('Inventory service adjustment journal entry');
    expect(payload.contentType).toContain('text/csv');
    expect(text(payload.body as Uint8Array)).toMatch(/^\uFEFFINVENTORYSERVICETRANSACTIONID,/);
  });
});

describe("loading the profile from the data project's exported package", () => {
  it('reads back the shipped default from a package built with it', async () => {
    const files = unpack(DEFAULT_IMPORT_PROFILE, [journal('SL-a-1', 'Posted', ['agg-1'])]);
    const { profile, notes } = await readImportProfile(zipSync({ 'Manifest.xml': files['Manifest.xml']! }));
    // The same profile, now carrying each entity's node as written, for packages to repeat it.
    const { manifestXml: headerNode, ...headers } = profile.headers!;
    const { manifestXml: lineNode, ...lines } = profile.lines;
    expect({ ...profile, headers, lines }).toEqual(DEFAULT_IMPORT_PROFILE);
    expect(headerNode).toMatch(
      /^<DataManagementPackageEntityData>[\s\S]*<\/DataManagementPackageEntityData>$/,
    );
    expect(lineNode).toContain('<EntityName>Inventory service adjustment journal entry</EntityName>');
    expect(notes).toEqual([]);
  });

  // What the exporting SCM wrote is kept: a package repeats the project's entity nodes verbatim
  // (RunBusinessLogic, RunBusinessValidation, TargetEntity, the maps' flags), a UTF-16 manifest
  // reads, a disabled entity is left out, and an exported project is a package whatever its
  // entity count.
  const exported = (entities: string) => `<?xml version="1.0" encoding="utf-16"?>
<DataManagementPackageManifest xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement">
  <DefinitionGroupName>Inventory Visibility integration</DefinitionGroupName>
  <PackageEntityList>${entities}
  </PackageEntityList>
</DataManagementPackageManifest>`;
  const linesNode = `
    <DataManagementPackageEntityData>
      <DefaultRefreshType>IncrementalPush</DefaultRefreshType>
      <Disable>false</Disable>
      <EntityMapList>
        <EntityMap><ArrayIndex>0</ArrayIndex><EntityField>INVENTORYSERVICETRANSACTIONID</EntityField><IsAutoDefault>No</IsAutoDefault><XMLField>INVENTORYSERVICETRANSACTIONID</XMLField></EntityMap>
        <EntityMap><ArrayIndex>1</ArrayIndex><EntityField>ITEMNUMBER</EntityField><IsAutoDefault>No</IsAutoDefault><XMLField>ITEMNUMBER</XMLField></EntityMap>
        <EntityMap><ArrayIndex>2</ArrayIndex><EntityField>INVENTORYQUANTITY</EntityField><IsAutoDefault>No</IsAutoDefault><XMLField>INVENTORYQUANTITY</XMLField></EntityMap>
        <EntityMap><ArrayIndex>3</ArrayIndex><EntityField>INVENTORYSERVICEADJUSTMENTJOURNALLINEOFFSETDATASOURCENAME</EntityField><XMLField>OFFSETDS</XMLField></EntityMap>
      </EntityMapList>
      <EntityName>Inventory Visibility adjustment journal lines</EntityName>
      <InputFilePath>Inventory Visibility adjustment journal lines.csv</InputFilePath>
      <RunBusinessLogic>Yes</RunBusinessLogic>
      <RunBusinessValidation>No</RunBusinessValidation>
      <SourceFormat>CSV-Unicode</SourceFormat>
      <TargetEntity>InventInventoryServiceAdjustmentJournalEntryEntity</TargetEntity>
    </DataManagementPackageEntityData>`;
  const disabledNode = `
    <DataManagementPackageEntityData>
      <Disable>true</Disable>
      <EntityMapList><EntityMap><EntityField>CATCHWEIGHT</EntityField><XMLField>CW</XMLField></EntityMap></EntityMapList>
      <EntityName>Old catch weight lines</EntityName>
      <SourceFormat>CSV-Unicode</SourceFormat>
    </DataManagementPackageEntityData>`;

  it("reads a UTF-16 manifest, leaves disabled entities out, makes a package of a one-entity export, and writes the project's nodes back verbatim", async () => {
    const bytes = Buffer.from(`\uFEFF${exported(linesNode + disabledNode)}`, 'utf16le');
    const { profile, notes } = await readImportProfile(zipSync({ 'Manifest.xml': new Uint8Array(bytes) }));
    expect(profile).toMatchObject({
      projectName: 'Inventory Visibility integration',
      kind: 'package',
      headers: null,
    });
    expect(notes).toContain('Entity Old catch weight lines is disabled in the project; it is left out.');
    expect(notes).toContain(
      'Inventory Visibility adjustment journal lines: field INVENTORYSERVICEADJUSTMENTJOURNALLINEOFFSETDATASOURCENAME is not one Store Ledger fills; it is left blank.',
    );
    const files = unpack(profile, [journal('SL-b-1', 'Posted', ['agg-9'])]);
    const manifest = strFromU8(files['Manifest.xml']!);
    expect(manifest).toContain('<RunBusinessLogic>Yes</RunBusinessLogic>');
    expect(manifest).toContain('<RunBusinessValidation>No</RunBusinessValidation>');
    expect(manifest).toContain(
      '<TargetEntity>InventInventoryServiceAdjustmentJournalEntryEntity</TargetEntity>',
    );
    expect(manifest).toContain('<IsAutoDefault>No</IsAutoDefault>');
    expect(manifest).not.toContain('Old catch weight lines');
    // The file carries every column the node maps, the unfilled one blank.
    const csv = Buffer.from(files['Inventory Visibility adjustment journal lines.csv']!)
      .toString('utf16le')
      .replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')[0]).toBe('INVENTORYSERVICETRANSACTIONID,ITEMNUMBER,INVENTORYQUANTITY,OFFSETDS');
  });

  it('reads a UTF-16 big-endian manifest and one without a byte-order mark', async () => {
    const text = exported(linesNode);
    const be = Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
    expect((await readImportProfile(new Uint8Array(be))).profile.lines.entityName).toBe(
      'Inventory Visibility adjustment journal lines',
    );
    const noBom = Buffer.from(text, 'utf16le');
    expect((await readImportProfile(new Uint8Array(noBom))).profile.projectName).toBe(
      'Inventory Visibility integration',
    );
  });

  it("takes the project's own column names and staging fields, and says what it leaves out", async () => {
    const manifest = `<?xml version="1.0" encoding="utf-8"?>
<DataManagementPackageManifest xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement">
  <DefinitionGroupName>IV journals (usmf)</DefinitionGroupName>
  <PackageEntityList>
    <DataManagementPackageEntityData>
      <EntityMapList>
        <EntityMap><EntityField>JOURNALNUMBER</EntityField><XMLField>Journal</XMLField></EntityMap>
        <EntityMap><EntityField>INVENTORYSERVICEJOURNALEXPECTEDSTATUS</EntityField><XMLField>Expected status</XMLField></EntityMap>
      </EntityMapList>
      <EntityName>IV journal headers</EntityName>
      <InputFilePath>headers.csv</InputFilePath>
      <SourceFormat>CSV-Unicode</SourceFormat>
    </DataManagementPackageEntityData>
    <DataManagementPackageEntityData>
      <EntityMapList>
        <EntityMap><EntityField>JOURNALNUMBER</EntityField><XMLField>Journal</XMLField></EntityMap>
        <EntityMap><EntityField>INVENTORYSERVICETRANSACTIONID</EntityField><XMLField>Transaction</XMLField></EntityMap>
        <EntityMap><EntityField>ITEMNUMBER</EntityField><XMLField>Item</XMLField></EntityMap>
        <EntityMap><EntityField>INVENTORYQUANTITY</EntityField><XMLField>Qty</XMLField></EntityMap>
        <EntityMap><EntityField>OFFSETDATASOURCE</EntityField><XMLField>Offset source</XMLField></EntityMap>
        <EntityMap><EntityField>CATCHWEIGHTQUANTITY</EntityField><XMLField>CW</XMLField></EntityMap>
      </EntityMapList>
      <EntityName>IV journal lines</EntityName>
      <InputFilePath>lines.csv</InputFilePath>
      <SourceFormat>CSV-Unicode</SourceFormat>
    </DataManagementPackageEntityData>
  </PackageEntityList>
</DataManagementPackageManifest>`;
    const { profile, notes } = await readImportProfile(strToU8(manifest));
    expect(profile).toMatchObject({
      projectName: 'IV journals (usmf)',
      kind: 'package',
      format: 'CSV-Unicode',
    });
    expect(profile.headers).toMatchObject({ entityName: 'IV journal headers', fileName: 'headers.csv' });
    expect(profile.lines.columns).toContainEqual({
      field: 'InventoryServiceAdjustmentOffsetDatasource',
      column: 'Offset source',
      entityField: 'OFFSETDATASOURCE',
    });
    expect(notes).toEqual([
      'IV journal lines: field CATCHWEIGHTQUANTITY is not one Store Ledger fills; it is left blank.',
    ]);
  });

  it.each([
    ['a zip without Manifest.xml', zipSync({ 'PackageHeader.xml': strToU8('<x/>') }), /no Manifest\.xml/],
    ['a manifest that is not a data package manifest', strToU8('<Other/>'), /not a data package manifest/],
    [
      'a project with no lines entity',
      strToU8(
        '<DataManagementPackageManifest><PackageEntityList><DataManagementPackageEntityData><EntityName>H</EntityName><EntityMapList><EntityMap><EntityField>JOURNALNUMBER</EntityField><XMLField>J</XMLField></EntityMap></EntityMapList></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>',
      ),
      /names no lines entity/,
    ],
    [
      'a project whose source format is not CSV',
      strToU8(
        '<DataManagementPackageManifest><PackageEntityList><DataManagementPackageEntityData><EntityName>L</EntityName><SourceFormat>XML-Element</SourceFormat><EntityMapList><EntityMap><EntityField>INVENTORYSERVICETRANSACTIONID</EntityField><XMLField>T</XMLField></EntityMap></EntityMapList></DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>',
      ),
      /source format is XML-Element/,
    ],
  ])('refuses %s with words', async (_what, bytes, message) => {
    const refusal = readImportProfile(bytes);
    await expect(refusal).rejects.toThrow(ImportProfileError);
    await expect(refusal).rejects.toThrow(message);
  });
});
