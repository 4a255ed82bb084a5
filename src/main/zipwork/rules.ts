/**
 * The zip-based files read off the event loop, each with its limits, its budget in the worker
 * and its words. A workbook and a data package are refused for the same reasons in different
 * words: what the clerk or store IT can do about it differs.
 */
import type { ZipRules } from './limits';

export type ZipKind = 'xlsx' | 'package';

export interface ZipKindRules extends ZipRules {
  /** The worker's heap (V8 old generation), in MB: past it the worker is stopped. */
  memoryMb: number;
  /** How long the worker may read, in ms: past it the worker is stopped. */
  timeMs: number;
  budgetWords: { memory: string; time: string; stopped: string };
}

const MB = 1024 * 1024;
const NOT_READABLE = 'The file is not a readable XLSX workbook: save it again as .xlsx or .csv.';

/**
 * What a workbook may unpack to. Our own export of 100,000 lines unpacks to about 150 MB;
 * past this, exceljs's model of the sheet would take gigabytes. A sheet's XML packs about 10
 * to 1 (a 100,000-row sheet written by exceljs: 9 to 1, its shared strings 11 to 1; 100,000
 * identical rows: 13 to 1; a sheet of blank styled cells: 9 to 1).
 */
const MAX_XLSX_UNPACKED = 256 * MB;

export const XLSX_RULES: ZipKindRules = {
  maxEntries: 10_000,
  maxUnpacked: MAX_XLSX_UNPACKED,
  maxRatio: 200,
  ratioFrom: MB,
  // exceljs holds the whole sheet as objects: 200,000 rows of 7 cells (a draft's most) read in
  // 768 MB of heap and not in 512 MB; wider sheets need more, so twice the first.
  memoryMb: 2048,
  timeMs: 180_000,
  words: {
    unreadable: NOT_READABLE,
    entries: () =>
      'The workbook holds more than 10,000 parts (a sheet of adjustments needs about ten): it is not one Store Ledger can read. Save the sheet as CSV, or save it again as .xlsx, and import that.',
    unpacked: () =>
      `The workbook unpacks to more than ${MAX_XLSX_UNPACKED / MB} MB (a zip bomb, or a sheet far larger than a draft holds): split it or save it as CSV.`,
    ratio: (entry) =>
      `The workbook's part ${entry} unpacks to more than 200 times its packed size (a zip bomb: a real sheet packs about 10 to 1). Save the sheet as CSV, or save it again as .xlsx, and import that.`,
  },
  budgetWords: {
    memory:
      'Reading the workbook needed more memory than an import may take: split the file, or save it as CSV (a CSV of the same rows reads in a fraction of it).',
    time: 'Reading the workbook took longer than 3 minutes: split the file, or save it as CSV.',
    stopped: 'The workbook could not be read (its reader stopped): save it again as .xlsx or as CSV.',
  },
};

const EXPORT_ONLY_PROJECT =
  'export only the data project (Data management › Export, without data) and load that zip or its Manifest.xml';

export const PACKAGE_RULES: ZipKindRules = {
  maxEntries: 1_000,
  maxUnpacked: 64 * MB,
  maxRatio: 200,
  ratioFrom: MB,
  memoryMb: 512,
  timeMs: 30_000,
  words: {
    unreadable: 'The file is not a readable zip: export the data project again as a data package.',
    entries: () => `The package holds more than 1,000 files: ${EXPORT_ONLY_PROJECT}.`,
    unpacked: () => `The package unpacks to more than 64 MB: ${EXPORT_ONLY_PROJECT}.`,
    ratio: (entry) =>
      `The package's ${entry} unpacks to more than 200 times its packed size (a zip bomb): ${EXPORT_ONLY_PROJECT}.`,
  },
  budgetWords: {
    memory: `Reading the package needed more memory than a data project's takes: ${EXPORT_ONLY_PROJECT}.`,
    time: `Reading the package took longer than 30 seconds: ${EXPORT_ONLY_PROJECT}.`,
    stopped: `The package could not be read (its reader stopped): ${EXPORT_ONLY_PROJECT}.`,
  },
};

/**
 * A data project's package, exported without data, is a few KB: a manifest of some KB, a
 * package header and one (empty) file per entity. Only its Manifest.xml is unpacked, and a
 * manifest past 16 MB is not a data project's.
 */
export const MANIFEST_RULES: ZipRules = {
  ...PACKAGE_RULES,
  maxUnpacked: 16 * MB,
  words: {
    ...PACKAGE_RULES.words,
    unpacked: () =>
      `Manifest.xml is larger than 16 MB (a data project's is a few KB): ${EXPORT_ONLY_PROJECT}.`,
  },
};

export const RULES: Record<ZipKind, ZipKindRules> = { xlsx: XLSX_RULES, package: PACKAGE_RULES };
