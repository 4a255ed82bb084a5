/**
 * What a zip may hold before anything unpacks it: its entry count, what it unpacks to in all,
 * and how far one entry may unpack past its packed size (deflate reaches about 1,000 to 1, so a
 * few KB can say "45 MB"; real XML packs about 10 to 1). First from the zip's own directory,
 * cheaply and before any work; then from what the entries really unpack to, a slice at a time
 * and without keeping it (a directory may understate). A refusal is in words that say what to
 * do. Zip format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { Unzip, UnzipInflate, unzipSync } from 'fflate';

export interface ZipRules {
  maxEntries: number;
  /** Bytes all entries may unpack to together. */
  maxUnpacked: number;
  /** How many times its packed size one entry may unpack to... */
  maxRatio: number;
  /** ...once it unpacks to more than this (a small entry of blanks packs 1,000 to 1 harmlessly). */
  ratioFrom: number;
  /** The words of each refusal. */
  words: {
    unreadable: string;
    entries: (count: number) => string;
    unpacked: () => string;
    ratio: (entry: string) => string;
  };
}

/** A file refused as a whole, in words for the clerk (and, for a profile, the fields at fault). */
export class ZipRefusal extends Error {
  constructor(
    message: string,
    readonly problems: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
export const isZip = (bytes: Uint8Array) => ZIP_MAGIC.every((b, i) => bytes[i] === b);

/** Compressed bytes inflated per step: at most ~1,000 times that comes out of one step. */
const INFLATE_STEP = 16 * 1024;

/** Stops fflate's walk over the directory as soon as a rule is broken. */
class Stop extends Error {
  constructor(readonly refusal: ZipRefusal) {
    super(refusal.message);
  }
}

const overRatio = (rules: ZipRules, packed: number, unpacked: number) =>
  unpacked > rules.ratioFrom && unpacked > rules.maxRatio * Math.max(packed, 1);

/**
 * The zip's directory, checked: entry count, declared total, declared ratio per entry. Only
 * the central directory is read (nothing inflates), and the walk stops at the first entry past
 * the count, so a zip of a million empty entries costs no more than one of ten thousand.
 * Returns each entry's packed size, by name, for the ratio check while inflating.
 */
export function checkDirectory(bytes: Uint8Array, rules: ZipRules): Map<string, number> {
  const packed = new Map<string, number>();
  let count = 0;
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        if (++count > rules.maxEntries) throw new Stop(new ZipRefusal(rules.words.entries(count)));
        declared += file.originalSize;
        if (declared > rules.maxUnpacked) throw new Stop(new ZipRefusal(rules.words.unpacked()));
        if (overRatio(rules, file.size, file.originalSize))
          throw new Stop(new ZipRefusal(rules.words.ratio(file.name)));
        packed.set(file.name, (packed.get(file.name) ?? 0) + file.size);
        return false;
      },
    });
  } catch (error) {
    throw error instanceof Stop ? error.refusal : new ZipRefusal(rules.words.unreadable);
  }
  return packed;
}

/**
 * Inflates the entries a slice at a time, counting what comes out: past the total, or (once an
 * entry is whole) past its ratio, the zip is refused. The entries `keep` names are returned
 * whole (the first of a name); with `onlyKept` no other entry is inflated at all (what nobody
 * reads need not be unpacked), else the rest is counted and dropped. Synchronous: it runs in
 * the zip worker.
 */
export function inflateChecked(
  bytes: Uint8Array,
  rules: ZipRules,
  packed: Map<string, number>,
  options: { keep?: (name: string) => boolean; onlyKept?: boolean } = {},
): Map<string, Uint8Array> {
  const keep = options.keep ?? (() => false);
  const kept = new Map<string, Uint8Array[]>();
  let total = 0;
  let failure: ZipRefusal | null = null;
  const unzip = new Unzip((file) => {
    const chunks: Uint8Array[] | null = keep(file.name) && !kept.has(file.name) ? [] : null;
    if (chunks) kept.set(file.name, chunks);
    if (!chunks && options.onlyKept) return;
    let size = 0;
    file.ondata = (error, data, final) => {
      if (failure) return;
      size += data?.length ?? 0;
      total += data?.length ?? 0;
      if (error) failure = new ZipRefusal(rules.words.unreadable);
      else if (total > rules.maxUnpacked) failure = new ZipRefusal(rules.words.unpacked());
      else if (final && overRatio(rules, packed.get(file.name) ?? file.size ?? 0, size))
        failure = new ZipRefusal(rules.words.ratio(file.name));
      else if (chunks && data.length > 0) chunks.push(data);
      if (failure) file.terminate();
    };
    try {
      file.start();
    } catch {
      failure ??= new ZipRefusal(rules.words.unreadable);
    }
  });
  unzip.register(UnzipInflate);
  for (let at = 0; at < bytes.length && !failure; at += INFLATE_STEP) {
    const end = Math.min(bytes.length, at + INFLATE_STEP);
    try {
      unzip.push(bytes.subarray(at, end), end === bytes.length);
    } catch {
      failure ??= new ZipRefusal(rules.words.unreadable);
    }
  }
  if (failure) throw failure;
  const whole = new Map<string, Uint8Array>();
  for (const [name, chunks] of kept) whole.set(name, Buffer.concat(chunks));
  return whole;
}
