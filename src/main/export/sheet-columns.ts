/**
 * The XLSX export's columns, for people: the grids' words as headers (shared/column-words.ts),
 * the grids' columns first and in their order, then the rest of the line; statuses in words
 * (shared/status-words.ts), the item's name from the store's copy of SCM's master data, times
 * as the clerk's clock shows them, errors as the grids say them. Cells are typed: text is text
 * (no formula can run, nothing needs an apostrophe), numbers and dates are numbers and dates.
 * The CSV export keeps the API's field names and values: it is for machines.
 */
import { clerkWords } from '../../shared/clerk-words';
import { dimensionWords, SOURCE_WORDS, FIELD_WORDS as W } from '../../shared/column-words';
import { AGGREGATED_STATUS_WORDS, LINE_STATUS_WORDS, TARGET_STATUS_WORDS } from '../../shared/status-words';
import type { AggregatedLine, DetailedLine } from '../../shared/views';

type Cell = string | number | Date | null;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  numFmt?: string;
  width: number;
}

/** A line as the sheet shows it: with its item's name from the store's copy (null when unknown). */
export type Named<T> = T & { itemName: string | null };

const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';
const DATE = 'yyyy-mm-dd';

/**
 * Excel has no time zones: a cell holds a wall-clock time. The clerk's local time is the
 * instant shifted by this PC's offset at that instant (so summer time comes out right).
 */
export function localWallClock(iso: string | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
}

function dayOf(date: string | null): Date | null {
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function text<T>(header: string, value: (row: T) => string | null, width?: number): Column<T> {
  return { header, value, width: width ?? Math.max(12, header.length + 2) };
}

function number<T>(header: string, value: (row: T) => number | null): Column<T> {
  return { header, value, width: Math.max(10, header.length + 2) };
}

function when<T>(header: string, iso: (row: T) => string | null): Column<T> {
  return { header, value: (r) => localWallClock(iso(r)), numFmt: DATE_TIME, width: 20 };
}

function day<T>(header: string, date: (row: T) => string | null): Column<T> {
  return { header, value: (r) => dayOf(date(r)), numFmt: DATE, width: 12 };
}

/** Site and warehouse, then a column for each other dimension the rows use. */
function dimensionColumns<T extends { dimensions: Record<string, string> }>(names: string[]): Column<T>[] {
  const others = names.filter((n) => n !== 'siteId' && n !== 'locationId');
  return [
    text<T>(W.siteId, (r) => r.dimensions.siteId ?? null),
    text<T>(W.locationId, (r) => r.dimensions.locationId ?? null),
    ...others.map((name) => text<T>(dimensionWords(name), (r) => r.dimensions[name] ?? null, 14)),
  ];
}

export function lineColumns(dimensionNames: string[]): Column<Named<DetailedLine>>[] {
  type L = Named<DetailedLine>;
  return [
    when<L>(W.createdAt, (l) => l.createdAt),
    text<L>(W.productId, (l) => l.productId),
    text<L>(W.itemName, (l) => l.itemName, 30),
    text<L>(W.organizationId, (l) => l.organizationId),
    ...dimensionColumns<L>(dimensionNames),
    number<L>(W.quantity, (l) => l.quantity),
    text<L>(W.status, (l) => LINE_STATUS_WORDS[l.status] ?? l.status, 40),
    text<L>(W.scmStatus, (l) => (l.scm ? AGGREGATED_STATUS_WORDS[l.scm.status] : null), 40),
    text<L>(W.scmJournal, (l) => l.scm?.journalNumber ?? null),
    text<L>(W.externalReferenceId, (l) => l.externalReferenceId, 20),
    text<L>(W.externalReferenceCategory, (l) => l.externalReferenceCategory),
    day<L>(W.transDate, (l) => l.transDate),
    text<L>(W.quantityDataSource, (l) => l.quantityDataSource),
    text<L>(W.physicalMeasure, (l) => l.physicalMeasure),
    text<L>(W.fnoJournalNameId, (l) => l.fnoJournalNameId),
    number<L>(W.costPrice, (l) => l.costPrice),
    text<L>(W.reasonCode, (l) => l.reasonCode ?? null),
    text<L>(W.source, (l) => SOURCE_WORDS[l.source] ?? l.source, 18),
    text<L>(W.createdBy, (l) => l.createdBy),
    text<L>(W.approvedBy, (l) => l.approvedBy ?? null),
    when<L>(W.ivPostedAt, (l) => l.ivPostedAt),
    when<L>(W.aggregatedAt, (l) => l.aggregatedAt),
    number<L>(W.attempts, (l) => l.attempts),
    text<L>(W.lastError, (l) => clerkWords(l.lastError, 'iv'), 40),
    text<L>(W.id, (l) => l.id, 24),
    text<L>(W.lineRecordId, (l) => l.lineRecordId, 24),
    text<L>(W.aggregatedLineId, (l) => l.aggregatedLineId, 24),
  ];
}

export function aggregatedColumns(dimensionNames: string[]): Column<Named<AggregatedLine>>[] {
  type A = Named<AggregatedLine>;
  return [
    when<A>(W.createdAt, (a) => a.createdAt),
    text<A>(W.status, (a) => AGGREGATED_STATUS_WORDS[a.status] ?? a.status, 40),
    text<A>(W.statusReason, (a) => a.statusReason, 30),
    text<A>(W.productId, (a) => a.productId),
    text<A>(W.itemName, (a) => a.itemName, 30),
    text<A>(W.organizationId, (a) => a.organizationId),
    ...dimensionColumns<A>(dimensionNames),
    number<A>(W.quantity, (a) => a.quantity),
    text<A>(W.quantityDataSource, (a) => a.quantityDataSource),
    text<A>(W.physicalMeasure, (a) => a.physicalMeasure),
    number<A>(W.detailedLineCount, (a) => a.detailedLineCount),
    text<A>(W.journalNumber, (a) => a.journalNumber),
    number<A>(W.journalLineNumber, (a) => a.journalLineNumber),
    day<A>(W.transDate, (a) => a.transDate),
    when<A>(W.updatedAt, (a) => a.updatedAt),
    text<A>(W.fnoJournalNameId, (a) => a.fnoJournalNameId),
    number<A>(W.costPrice, (a) => a.costPrice),
    text<A>(
      W.targetTransactionStatus,
      (a) => capitalized(TARGET_STATUS_WORDS[a.targetTransactionStatus]),
      30,
    ),
    number<A>(W.attempts, (a) => a.attempts),
    text<A>(W.lastError, (a) => clerkWords(a.lastError, 'scm'), 40),
    text<A>(W.aggregatedLineId, (a) => a.aggregatedLineId, 24),
  ];
}
