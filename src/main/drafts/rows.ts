/**
 * One spreadsheet row → a line object for the entry pipeline to judge, with what only the
 * cells can tell: a formula without a saved result, an error cell, a number too long for a
 * spreadsheet to have kept, a number read in the UI's language (and what it was read as).
 * Those are the row's own problems, named by cell; the pipeline judges the rest (review).
 */
import type { RowProblem } from '../../shared/drafts';
import { parseMachineNumber, parseTypedNumber, separatorsOf } from '../../shared/numbers';
import { columnName, columnTarget, type Defaults, DIMENSIONS_JSON, type Mapped } from './columns';
import { type Cell, isBlankCell, type SourceRow } from './table';

const NUMERIC = new Set(['quantity', 'costPrice']);
/** Characters of a cell a draft keeps: beyond the longest field (256), only enough to show it. */
export const MAX_CELL_CHARS = 1_000;
/** Digits a spreadsheet keeps of a number (IEEE doubles, and Excel's own 15-digit rule). */
const SPREADSHEET_DIGITS = 15;

export interface ReadRow {
  /** The row as entered: fields and dimensions as text, numbers as numbers. No id is derived here. */
  line: Record<string, unknown>;
  errors: RowProblem[];
  cautions: RowProblem[];
}

const isoDate = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));

/** More digits than a spreadsheet keeps: some may already be lost (a 20-digit id). */
function tooManyDigits(n: number): boolean {
  if (!Number.isFinite(n)) return true;
  if (Number.isInteger(n)) return Math.abs(n) >= 10 ** SPREADSHEET_DIGITS;
  const digits = String(Math.abs(n)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
  return digits.length > SPREADSHEET_DIGITS;
}

/** A number as text the way a spreadsheet shows it in full (never BigInt's digits nobody typed). */
const numberText = (n: number) => String(n);

interface Reading {
  locale: string;
  /** The app's own export: numbers as a machine wrote them. */
  machineNumbers: boolean;
}

/** One cell into the line (or a problem); `where` is the cell's address ("B3"). */
function readCell(cell: Cell, target: string, where: string, reading: Reading, out: ReadRow): unknown {
  const problem = (message: string) => out.errors.push({ field: target, cell: where, message });
  if (typeof cell === 'object' && 'fault' in cell) {
    if (cell.fault === 'formula')
      problem(
        `cell ${where} holds a formula${cell.formula ? ` (=${cell.formula.slice(0, 40)})` : ''} without a saved result: open the file in Excel, save it, and import it again`,
      );
    else problem(`cell ${where} holds the error ${cell.error}: correct it in the file`);
    return undefined;
  }
  if (NUMERIC.has(target)) {
    if (typeof cell === 'number') return cell;
    if (typeof cell !== 'string') return problem(`cell ${where} must be a number`);
    const text = cell.trim();
    if (reading.machineNumbers) return parseMachineNumber(text) ?? text;
    const read = parseTypedNumber(text, reading.locale);
    if (!read.ok) {
      problem(read.message);
      return text.slice(0, MAX_CELL_CHARS);
    }
    const { group } = separatorsOf(reading.locale);
    if (text.includes(group) || (group === '\u202f' && /\s/.test(text)))
      out.cautions.push({
        field: target,
        cell: where,
        message: `'${text}' was read as ${read.value} (${reading.locale})`,
      });
    return read.value;
  }
  if (typeof cell === 'number') {
    if (tooManyDigits(cell))
      return problem(
        `cell ${where} holds the number ${numberText(cell)}, longer than the ${SPREADSHEET_DIGITS} digits a spreadsheet keeps, so digits may be lost: store this column as text and enter the values again`,
      );
    return numberText(cell);
  }
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return isoDate(cell);
  if (cell.length > MAX_CELL_CHARS) {
    problem(
      `cell ${where} holds ${cell.length.toLocaleString('en-US')} characters: no field takes more than 256`,
    );
    return cell.slice(0, MAX_CELL_CHARS);
  }
  return cell;
}

/** The export's dimensions JSON: an object of names → text, or the row's error. */
function readDimensionsJson(text: string, where: string, out: ReadRow): Record<string, unknown> {
  const shape = `cell ${where} must be the dimensions as JSON, like {"siteId":"1","locationId":"13"}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    out.errors.push({ field: 'dimensions', cell: where, message: shape });
    return {};
  }
  return parsed as Record<string, unknown>;
}

export function readRow(source: SourceRow, mapped: Mapped, defaults: Defaults, locale: string): ReadRow {
  const out: ReadRow = {
    line: {
      organizationId: defaults.organizationId ?? undefined,
      quantityDataSource: defaults.quantityDataSource,
      physicalMeasure: defaults.physicalMeasure,
    },
    errors: [],
    cautions: [],
  };
  const reading: Reading = { locale, machineNumbers: mapped.ledgerExport };
  const columns: Record<string, string> = {};
  let fromJson: Record<string, unknown> = {};
  mapped.targets.forEach((target, i) => {
    const cell = source.cells[i];
    if (target === null || cell === undefined || isBlankCell(cell)) return;
    const where = `${columnName(i)}${source.row}`;
    if (target === DIMENSIONS_JSON) {
      const text = readCell(cell, target, where, reading, out);
      if (typeof text === 'string') fromJson = readDimensionsJson(text, where, out);
      return;
    }
    const value = readCell(cell, target, where, reading, out);
    if (value === undefined) return;
    if (target.startsWith('dimensions.')) columns[target.slice('dimensions.'.length)] = String(value);
    else out.line[target] = value;
  });
  // A dimension both in its own column and in the JSON must say the same thing in both.
  const dimensions: Record<string, unknown> = { ...fromJson };
  for (const [name, value] of Object.entries(columns)) {
    const json = fromJson[name];
    if (json !== undefined && json !== value)
      out.errors.push({
        field: `dimensions.${name}`,
        message: `is ${value} in its column but ${String(json)} in the dimensions JSON: make them agree`,
      });
    dimensions[name] = value;
  }
  out.line.dimensions = dimensions;
  return out;
}

/** Which field an edit names: the header rules, so "Warehouse" and "locationId" are one field. */
export function editTarget(name: string): string | null {
  const target = columnTarget(name);
  return target === DIMENSIONS_JSON ? null : target;
}

/**
 * A clerk's edit of a row: each field replaced by the text typed ("" clears it), numbers read
 * in the UI's language. Problems are of the edited fields only.
 */
export function applyEdit(
  line: Record<string, unknown>,
  values: Record<string, string>,
  locale: string,
): ReadRow & { fields: Set<string> } {
  const out: ReadRow & { fields: Set<string> } = {
    line: { ...line, dimensions: { ...((line.dimensions as Record<string, unknown>) ?? {}) } },
    errors: [],
    cautions: [],
    fields: new Set(),
  };
  const dimensions = out.line.dimensions as Record<string, unknown>;
  const reading: Reading = { locale, machineNumbers: false };
  for (const [name, text] of Object.entries(values)) {
    const target = editTarget(name)!;
    out.fields.add(target);
    const value = text.trim() === '' ? undefined : readCell(text, target, 'edited', reading, out);
    if (target.startsWith('dimensions.')) {
      const key = target.slice('dimensions.'.length);
      if (value === undefined) delete dimensions[key];
      else dimensions[key] = value;
    } else if (value === undefined) delete out.line[target];
    else out.line[target] = value;
  }
  // An edit is typed, not a cell: its words need no cell address.
  for (const p of [...out.errors, ...out.cautions]) delete p.cell;
  return out;
}
