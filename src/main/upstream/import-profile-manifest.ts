/**
 * Reads an import profile from the data project's own exported package (its Manifest.xml
 * [PK]): the entities, their files, their source format and each column's staging field. What
 * the manifest cannot say (which of its fields are ours) is matched by name, without regard to
 * case or punctuation, with the offset article's OFFSET* names [OFF]. This runs in the zip
 * worker (src/main/zip-worker.ts): a manifest of megabytes takes seconds to parse.
 */
import { XMLParser } from 'fast-xml-parser';
import {
  HEADER_FIELDS,
  type ImportProfile,
  importProfileSchema,
  LINE_FIELDS,
  OFFSET_STAGING_NAMES,
} from '../../shared/import-profile';
import { checkDirectory, inflateChecked, isZip, ZipRefusal } from '../zipwork/limits';
import { MANIFEST_RULES, PACKAGE_RULES } from '../zipwork/rules';

export class ImportProfileError extends Error {
  constructor(
    message: string,
    readonly problems: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface ReadProfile {
  profile: ImportProfile;
  /** What was left out, in words (fields of the project this app does not fill). */
  notes: string[];
}

const squash = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

function fieldIndex(fields: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const f of fields) index.set(squash(f), f);
  for (const [f, alias] of Object.entries(OFFSET_STAGING_NAMES)) index.set(squash(alias), f);
  return index;
}
const LINE_INDEX = fieldIndex(LINE_FIELDS);
const HEADER_INDEX = fieldIndex(HEADER_FIELDS);

/**
 * Manifest.xml as text, whatever the exporting SCM wrote it in: a byte-order mark says
 * UTF-16 (little or big endian) or UTF-8; without one, NUL bytes beside ASCII say UTF-16.
 */
export function manifestText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder().decode(bytes.subarray(3));
  if (bytes.length > 1 && bytes[0] === 0x3c && bytes[1] === 0x00)
    return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.length > 1 && bytes[0] === 0x00 && bytes[1] === 0x3c)
    return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder().decode(bytes);
}

const MANIFEST = /(^|\/)manifest\.xml$/i;

/**
 * A zip of the exported data package, or the bytes of its Manifest.xml. The zip's limits are
 * checked from its directory before anything unpacks; then only the manifest is unpacked, held
 * to a manifest's size while it unpacks.
 */
export function readProfileBytes(bytes: Uint8Array): ReadProfile {
  if (!isZip(bytes)) {
    if (bytes.length > MANIFEST_RULES.maxUnpacked) throw new ZipRefusal(MANIFEST_RULES.words.unpacked());
    return profileFromManifest(manifestText(bytes));
  }
  const packed = checkDirectory(bytes, PACKAGE_RULES);
  const manifests = inflateChecked(bytes, MANIFEST_RULES, packed, {
    keep: (name) => MANIFEST.test(name),
    onlyKept: true,
  });
  const manifest = [...manifests.values()][0];
  if (!manifest)
    throw new ImportProfileError(
      'The package has no Manifest.xml: export the data project from Data management as a data package and load that zip.',
    );
  return profileFromManifest(manifestText(manifest));
}

type Node = Record<string | symbol, unknown>;
/** Where an entity's exported XML rides along while the manifest is read. */
const RAW = Symbol('raw entity node');

/** Each `<DataManagementPackageEntityData>` element of the manifest, as the exporting SCM wrote it. */
function entityNodes(text: string): string[] {
  return [
    ...text.matchAll(
      /<(?:[A-Za-z_][\w.-]*:)?DataManagementPackageEntityData\b[^>]*>[\s\S]*?<\/(?:[A-Za-z_][\w.-]*:)?DataManagementPackageEntityData>/g,
    ),
  ].map((m) => m[0]);
}
const asList = (v: unknown): Node[] => (Array.isArray(v) ? v : v == null || v === '' ? [] : [v]) as Node[];
const str = (v: unknown): string => (v == null ? '' : String(v)).trim();

export function profileFromManifest(text: string): ReadProfile {
  let doc: Node;
  try {
    doc = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false }).parse(
      text.replace(/^\uFEFF/, ''),
    ) as Node;
  } catch {
    throw new ImportProfileError('Manifest.xml is not well-formed XML.');
  }
  const root = doc.DataManagementPackageManifest as Node | undefined;
  if (!root || typeof root !== 'object')
    throw new ImportProfileError(
      'This is not a data package manifest (no DataManagementPackageManifest element).',
    );
  const listed = asList((root.PackageEntityList as Node | undefined)?.DataManagementPackageEntityData);
  if (listed.length === 0) throw new ImportProfileError('The manifest lists no entity.');
  // The entity nodes as exported, in order, to be written back verbatim (flags and all).
  const nodes = entityNodes(text);
  const notes: string[] = [];
  const entities: Node[] = [];
  listed.forEach((e, i) => {
    // SCM skips a disabled entity on import: so does the profile.
    if (/^(true|yes|1)$/i.test(str(e.Disable)))
      notes.push(`Entity ${str(e.EntityName)} is disabled in the project; it is left out.`);
    else entities.push({ ...e, [RAW]: nodes.length === listed.length ? nodes[i] : undefined });
  });
  if (entities.length === 0) throw new ImportProfileError('Every entity of the manifest is disabled.');

  const formats = new Set<string>();
  let headers: ImportProfile['headers'] = null;
  let lines: ImportProfile['lines'] | undefined;
  for (const e of entities) {
    const entityName = str(e.EntityName);
    const maps = asList(
      (e.EntityMapList as Node | undefined)?.EntityMap ??
        (e.EntityMapList as Node | undefined)?.DataManagementPackageEntityMap,
    );
    const entityFields = maps.map((m) => ({
      entityField: str(m.EntityField),
      column: str(m.XMLField) || str(m.EntityField),
    }));
    const isLines = entityFields.some(
      (m) => LINE_INDEX.get(squash(m.entityField)) === 'InventoryServiceTransactionId',
    );
    const index = isLines ? LINE_INDEX : HEADER_INDEX;
    const columns = [];
    const blankColumns: string[] = [];
    for (const m of entityFields) {
      const field = index.get(squash(m.entityField));
      if (field) columns.push({ field, column: m.column, entityField: m.entityField });
      else {
        blankColumns.push(m.column);
        notes.push(`${entityName}: field ${m.entityField} is not one Store Ledger fills; it is left blank.`);
      }
    }
    formats.add(str(e.SourceFormat) || 'CSV');
    const raw = e[RAW] as string | undefined;
    const entity = {
      entityName,
      fileName: str(e.InputFilePath) || `${entityName}.csv`,
      columns,
      ...(raw !== undefined && { manifestXml: raw, ...(blankColumns.length > 0 && { blankColumns }) }),
    };
    if (isLines) {
      if (lines)
        throw new ImportProfileError(
          `The manifest has two lines entities (${lines.entityName}, ${entityName}).`,
        );
      lines = entity as ImportProfile['lines'];
    } else if (
      columns.some((c) => c.field === 'InventoryServiceJournalExpectedStatus' || c.field === 'JournalNumber')
    ) {
      if (headers)
        throw new ImportProfileError(
          `The manifest has two journal header entities (${headers.entityName}, ${entityName}).`,
        );
      headers = entity as NonNullable<ImportProfile['headers']>;
    } else {
      notes.push(
        `Entity ${entityName} is neither the journal headers nor the journal lines; it is left out.`,
      );
    }
  }
  const [format, ...others] = [...formats];
  if (others.length > 0)
    throw new ImportProfileError(`The entities use different source formats (${[...formats].join(', ')}).`);
  if (!/^csv/i.test(format ?? '')) {
    throw new ImportProfileError(
      `The data project's source format is ${format}; Store Ledger writes CSV files. Set the project's source format to CSV (or CSV-Unicode).`,
    );
  }
  const parsed = importProfileSchema.safeParse({
    projectName: str(root.DefinitionGroupName),
    // An exported data project is a data package, whatever its entity count: its recurring
    // data job takes packages (a single-file project is set up by hand, not loaded from here).
    kind: 'package',
    format: /unicode/i.test(format ?? '') ? 'CSV-Unicode' : 'CSV',
    headers,
    lines,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new ImportProfileError(
      `The data project does not fit Store Ledger's journals: ${problems.map((p) => `${p.field || 'profile'} ${p.message}`).join('; ')}.`,
      problems,
    );
  }
  return { profile: parsed.data, notes };
}
