/**
 * Journals as SCM's data project takes them (docs/dynamics-contract.md §1–2): a DMF data
 * package (a zip with Manifest.xml, PackageHeader.xml and one file per entity [PK]), or a single
 * CSV file for a single-entity project, laid out by the import profile.
 */
import { strToU8, zipSync } from 'fflate';
import type { ImportEntityProfile, ImportProfile } from '../../shared/import-profile';
import { buildCsv, type CsvValue } from './journal-csv';
import type { EnqueuePayload } from './scm-answers';

const DM_NAMESPACE = 'http://schemas.microsoft.com/dynamics/2015/01/DataManagement';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const MANIFEST_TYPE =
  'Microsoft.Dynamics.AX.Framework.Tools.DataManagement.Serialization.DataManagementPackageManifest';

/** One journal: its header values and its lines, each keyed by the OData field name [MD]. */
export interface JournalFile {
  header: Record<string, CsvValue>;
  lines: Record<string, CsvValue>[];
}

/** The bytes to enqueue for these journals (all of one company) under this profile. */
export function buildJournalPayload(
  profile: ImportProfile,
  journals: readonly JournalFile[],
  description: string,
): EnqueuePayload {
  const lines = journals.flatMap((j) => j.lines);
  if (profile.kind === 'file') {
    return {
      body: encodeFile(profile, entityCsv(profile.lines, lines)),
      contentType:
        profile.format === 'CSV-Unicode' ? 'text/csv; charset=utf-16le' : 'text/csv; charset=utf-8',
      entity: profile.lines.entityName,
    };
  }
  const files: Record<string, Uint8Array> = {
    'Manifest.xml': strToU8(manifestXml(profile, description)),
    'PackageHeader.xml': strToU8(packageHeaderXml(description)),
  };
  if (profile.headers) {
    files[profile.headers.fileName] = encodeFile(
      profile,
      entityCsv(
        profile.headers,
        journals.map((j) => j.header),
      ),
    );
  }
  files[profile.lines.fileName] = encodeFile(profile, entityCsv(profile.lines, lines));
  return { body: zipSync(files, { level: 6 }), contentType: 'application/zip', entity: null };
}

function entityCsv(entity: ImportEntityProfile, records: readonly Record<string, CsvValue>[]): string {
  const blanks = entity.manifestXml ? (entity.blankColumns ?? []) : [];
  return buildCsv(
    [...entity.columns.map((c) => c.column), ...blanks],
    records.map((r) => [...entity.columns.map((c) => r[c.field]), ...blanks.map(() => null)]),
  );
}

/** CSV: UTF-8 with a BOM; CSV-Unicode: UTF-16LE with a BOM (DMF refuses anything else as "not Unicode"). */
export function encodeFile(profile: Pick<ImportProfile, 'format'>, text: string): Uint8Array {
  const withBom = `\uFEFF${text}`;
  if (profile.format === 'CSV-Unicode') return new Uint8Array(Buffer.from(withBom, 'utf16le'));
  return strToU8(withBom);
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function entityXml(profile: ImportProfile, entity: ImportEntityProfile, level: number): string {
  // Loaded from the project's own export: its node exactly as SCM wrote it.
  if (entity.manifestXml) return `    ${entity.manifestXml}`;
  const maps = entity.columns
    .map(
      (c, i) =>
        `        <EntityMap><ArrayIndex>${i}</ArrayIndex><EntityField>${xml(c.entityField)}</EntityField><XMLField>${xml(c.column)}</XMLField></EntityMap>`,
    )
    .join('\n');
  return [
    '    <DataManagementPackageEntityData>',
    '      <DefaultRefreshType>FullPush</DefaultRefreshType>',
    '      <Disable>false</Disable>',
    `      <EntityMapList>\n${maps}\n      </EntityMapList>`,
    `      <EntityName>${xml(entity.entityName)}</EntityName>`,
    '      <ExecutionUnit>1</ExecutionUnit>',
    `      <InputFilePath>${xml(entity.fileName)}</InputFilePath>`,
    `      <LevelInExecutionUnit>${level}</LevelInExecutionUnit>`,
    '      <SequenceInLevel>1</SequenceInLevel>',
    `      <SourceFormat>${xml(profile.format)}</SourceFormat>`,
    '    </DataManagementPackageEntityData>',
  ].join('\n');
}

/** The manifest names the project's entities and their column maps; headers import before lines. */
export function manifestXml(profile: ImportProfile, description: string): string {
  const entities = [
    ...(profile.headers ? [entityXml(profile, profile.headers, 1)] : []),
    entityXml(profile, profile.lines, 2),
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<DataManagementPackageManifest xmlns:i="${XSI_NAMESPACE}" xmlns="${DM_NAMESPACE}">`,
    `  <DefinitionGroupName>${xml(profile.projectName)}</DefinitionGroupName>`,
    `  <Description>${xml(description)}</Description>`,
    '  <PackageEntityList>',
    ...entities,
    '  </PackageEntityList>',
    '</DataManagementPackageManifest>',
    '',
  ].join('\n');
}

export function packageHeaderXml(description: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<DataManagementPackageHeader xmlns:i="${XSI_NAMESPACE}" xmlns="${DM_NAMESPACE}">`,
    `  <Description>${xml(description)}</Description>`,
    `  <ManifestType>${MANIFEST_TYPE}</ManifestType>`,
    '  <PackageType>DefinitionGroup</PackageType>',
    '  <PackageVersion>2</PackageVersion>',
    '</DataManagementPackageHeader>',
    '',
  ].join('\n');
}
