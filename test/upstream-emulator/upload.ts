// Reading an enqueued upload against the data project, as SCM's recurring data job does before
// any row is staged: a package must be a zip with Manifest.xml and PackageHeader.xml naming the
// project's entities and files; every file must be in the project's format and carry only
// mapped columns. Anything else refuses the whole message (PreProcessError) with SCM-like words.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { CsvError, parseCsv } from './csv';
import { stripBom } from './http';
import type { DataProject, DataProjectEntity, ReceivedFile } from './types';

/** A data row keyed by OData field name; a field the file did not carry is ''. */
export type FieldRow = Record<string, string>;

export interface EntityTable {
  entity: DataProjectEntity;
  fileName: string;
  rows: FieldRow[];
}

export type UploadResult =
  | { ok: true; files: ReceivedFile[]; headers: EntityTable | null; lines: EntityTable | null }
  | { ok: false; files: ReceivedFile[]; error: string };

export interface Upload {
  body: Buffer;
  /** The enqueue call's `entity` parameter. */
  entity: string | null;
}

class Refusal extends Error {}

const refuse = (message: string): never => {
  throw new Refusal(message);
};

const ZIP_MAGIC = [0x50, 0x4b];
const isZip = (b: Uint8Array) => b[0] === ZIP_MAGIC[0] && b[1] === ZIP_MAGIC[1];
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function readUpload(project: DataProject, upload: Upload): UploadResult {
  const files: ReceivedFile[] = [];
  try {
    const tables =
      project.kind === 'package'
        ? readPackage(project, upload, files)
        : readSingleFile(project, upload, files);
    return { ok: true, files, ...tables };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, files, error: err.message };
    throw err;
  }
}

type Tables = { headers: EntityTable | null; lines: EntityTable | null };

function readSingleFile(project: DataProject, upload: Upload, files: ReceivedFile[]): Tables {
  const entity = project.lines;
  const name = upload.entity;
  if (name === null || name.trim() === '') {
    refuse(
      `The entity name is missing. Data project '${project.projectName}' imports single files: ` +
        `enqueue each file with entity=${entity.entityName}.`,
    );
  } else if (!same(name.trim(), entity.entityName)) {
    refuse(`Entity '${name}' is not part of data project '${project.projectName}'.`);
  }
  if (isZip(upload.body)) {
    refuse(
      `The file for entity '${entity.entityName}' is a zip package; data project '${project.projectName}' imports single ${project.format} files.`,
    );
  }
  const text = decode(project, entity.fileName, upload.body);
  files.push({ name: entity.fileName, bytes: upload.body.length, text });
  return { headers: null, lines: readTable(project, entity, 'lines', entity.fileName, text) };
}

interface ManifestEntity {
  entityName: string;
  inputFilePath: string;
  sourceFormat: string;
  maps: { entityField: string; xmlField: string }[];
}

function readPackage(project: DataProject, upload: Upload, files: ReceivedFile[]): Tables {
  const notPackage = () =>
    refuse(
      `The uploaded file is not a data package. Data project '${project.projectName}' imports a package: ` +
        'a zip file holding Manifest.xml, PackageHeader.xml and one file per entity.',
    );
  if (!isZip(upload.body)) notPackage();
  let zip: Record<string, Uint8Array> = {};
  try {
    zip = unzipSync(new Uint8Array(upload.body));
  } catch {
    notPackage();
  }
  const byLower = new Map(Object.keys(zip).map((n) => [n.toLowerCase(), n]));
  const entry = (name: string): { name: string; data: Uint8Array } | undefined => {
    const found = byLower.get(name.toLowerCase());
    const data = found === undefined ? undefined : zip[found];
    return found !== undefined && data ? { name: found, data } : undefined;
  };
  const xmlFile = (name: string) => {
    const found = entry(name);
    if (!found) return refuse(`${name} was not found in the package.`);
    const text = stripBom(new TextDecoder('utf-8').decode(found.data));
    files.push({ name: found.name, bytes: found.data.length, text });
    return text;
  };
  const manifest = readManifest(xmlFile('Manifest.xml'));
  const header = parseXml('PackageHeader.xml', xmlFile('PackageHeader.xml'));
  if (!isObject(header.DataManagementPackageHeader))
    refuse('PackageHeader.xml is not a data package header (no DataManagementPackageHeader element).');

  const tables: Tables = { headers: null, lines: null };
  for (const m of manifest) {
    const role =
      project.headers && same(m.entityName, project.headers.entityName)
        ? 'headers'
        : same(m.entityName, project.lines.entityName)
          ? 'lines'
          : undefined;
    if (!role) {
      return refuse(
        `Entity '${m.entityName}' in the package manifest is not part of data project '${project.projectName}'.`,
      );
    }
    const entity = role === 'headers' ? project.headers : project.lines;
    if (!entity || tables[role])
      return refuse(`Entity '${m.entityName}' is listed twice in the package manifest.`);
    if (m.sourceFormat !== '' && !same(m.sourceFormat, project.format)) {
      refuse(
        `Source data format '${m.sourceFormat}' of entity '${entity.entityName}' in the manifest does not match ` +
          `data project '${project.projectName}', which reads '${project.format}'.`,
      );
    }
    checkManifestMap(project, entity, m);
    const file = entry(m.inputFilePath);
    if (!file) {
      return refuse(
        `File '${m.inputFilePath}' of entity '${entity.entityName}', named in the package manifest, is not in the package.`,
      );
    }
    const text = decode(project, file.name, Buffer.from(file.data));
    files.push({ name: file.name, bytes: file.data.length, text });
    tables[role] = readTable(project, entity, role, file.name, text);
  }
  if (!tables.lines) {
    refuse(
      `The package manifest does not list entity '${project.lines.entityName}' of data project '${project.projectName}'.`,
    );
  }
  return tables;
}

/** Each manifest mapping must be one the project has: a misspelt column is refused here already. */
function checkManifestMap(project: DataProject, entity: DataProjectEntity, m: ManifestEntity): void {
  for (const map of m.maps) {
    const known = entity.columns.find((c) => same(c.column, map.xmlField));
    if (!known) {
      refuse(
        `Column '${map.xmlField}' in the package manifest is not mapped to any staging field of entity ` +
          `'${entity.entityName}' in data project '${project.projectName}'.`,
      );
    } else if (!same(known.entityField, map.entityField)) {
      refuse(
        `The package manifest maps column '${map.xmlField}' of entity '${entity.entityName}' to staging field ` +
          `'${map.entityField}'; data project '${project.projectName}' maps it to '${known.entityField}'.`,
      );
    }
  }
}

const xml = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'DataManagementPackageEntityData' || name === 'EntityMap',
});

function parseXml(name: string, text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) refuse(`${name} is not valid XML: ${valid.err.msg} (line ${valid.err.line}).`);
  return xml.parse(text) as Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function readManifest(text: string): ManifestEntity[] {
  const root = parseXml('Manifest.xml', text).DataManagementPackageManifest;
  if (!isObject(root))
    return refuse('Manifest.xml is not a data package manifest (no DataManagementPackageManifest element).');
  const entityList = isObject(root.PackageEntityList) ? root.PackageEntityList : {};
  const entities = list(entityList.DataManagementPackageEntityData).filter(isObject);
  if (entities.length === 0) refuse('The package manifest lists no entity.');
  return entities
    .filter((e) => str(e.Disable).toLowerCase() !== 'true')
    .map((e) => {
      const entityName = str(e.EntityName);
      if (entityName === '') refuse('An entity in the package manifest has no EntityName.');
      const inputFilePath = str(e.InputFilePath);
      if (inputFilePath === '')
        refuse(`Entity '${entityName}' in the package manifest has no InputFilePath.`);
      const mapList = isObject(e.EntityMapList) ? e.EntityMapList : {};
      const maps = list(mapList.EntityMap)
        .filter(isObject)
        .map((m) => ({ entityField: str(m.EntityField), xmlField: str(m.XMLField) }));
      return { entityName, inputFilePath, sourceFormat: str(e.SourceFormat), maps };
    });
}

/** The project's format decides the encoding: CSV is UTF-8 (BOM optional), CSV-Unicode UTF-16LE with BOM. */
function decode(project: DataProject, fileName: string, bytes: Uint8Array): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (project.format === 'CSV-Unicode') {
    if (!utf16) refuse(`File '${fileName}': Selected file is not Unicode.`);
    return stripBom(new TextDecoder('utf-16le').decode(bytes));
  }
  if (utf16 || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    refuse(
      `File '${fileName}' is Unicode (UTF-16); data project '${project.projectName}' reads '${project.format}' (UTF-8).`,
    );
  }
  try {
    return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return refuse(
      `File '${fileName}' is not valid UTF-8 text, as source format '${project.format}' requires.`,
    );
  }
}

const REQUIRED: Record<'headers' | 'lines', readonly string[]> = {
  headers: ['JournalNumber'],
  lines: ['InventoryServiceTransactionId', 'ItemNumber', 'InventoryQuantity'],
};

/** A column name that spells the expected status, however written (OData name or staging name). */
const isExpectedStatus = (column: string) =>
  column
    .replace(/[^a-z]/gi, '')
    .toLowerCase()
    .includes('expectedstatus');

function readTable(
  project: DataProject,
  entity: DataProjectEntity,
  role: 'headers' | 'lines',
  fileName: string,
  text: string,
): EntityTable {
  let records: string[][] = [];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) refuse(`File '${fileName}' is not valid CSV. ${err.message}`);
    throw err;
  }
  const [head, ...data] = records;
  if (!head) return refuse(`File '${fileName}' of entity '${entity.entityName}' is empty.`);
  const fields: string[] = [];
  for (const raw of head) {
    const name = raw.trim();
    const mapped = entity.columns.find((c) => same(c.column, name));
    if (!mapped) {
      if (role === 'lines' && isExpectedStatus(name)) {
        refuse(
          `Column '${name}' in file '${fileName}' cannot be mapped: entity '${entity.entityName}' has no field ` +
            'InventoryServiceJournalExpectedStatus. The expected status is a field of the journal header' +
            `${project.headers ? ` (entity '${project.headers.entityName}')` : ''}.`,
        );
      }
      refuse(
        `Column '${name}' in file '${fileName}' is not mapped to any staging field of entity ` +
          `'${entity.entityName}' in data project '${project.projectName}'.`,
      );
    } else if (fields.includes(mapped.field)) {
      refuse(
        `Column '${name}' appears more than once in file '${fileName}' of entity '${entity.entityName}'.`,
      );
    } else {
      fields.push(mapped.field);
    }
  }
  const required =
    role === 'lines' && project.headers ? [...REQUIRED.lines, 'JournalNumber'] : REQUIRED[role];
  for (const field of required) {
    if (fields.includes(field)) continue;
    const column = entity.columns.find((c) => c.field === field)?.column ?? field;
    refuse(
      `File '${fileName}' has no column '${column}', which entity '${entity.entityName}' requires (field ${field}).`,
    );
  }
  if (role === 'lines' && data.length === 0)
    refuse(`File '${fileName}' of entity '${entity.entityName}' has a header row but no data rows.`);
  const rows = data.map((record, i) => {
    if (record.length !== fields.length) {
      refuse(
        `Row ${i + 2} of file '${fileName}' has ${record.length} field(s); its header row has ${fields.length}.`,
      );
    }
    const row: FieldRow = {};
    fields.forEach((field, j) => {
      row[field] = (record[j] ?? '').trim();
    });
    return row;
  });
  return { entity, fileName, rows };
}
