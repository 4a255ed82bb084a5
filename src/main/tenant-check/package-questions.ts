/**
 * What SCM does with the app's packages, asked with zero-net journals: the numbers it gives and
 * how lines find their header, what blank fields become, a repeated transaction ID, whether the
 * journal name deletes lines after posting, and (with --post) the posting job.
 */
import type { TenantAnswer, TenantEvidence } from '../../shared/tenant-check';
import { SCM_ENTRIES_ENTITY, SCM_HEADERS_ENTITY } from '../upstream/scm-read-back';
import { answer, type CheckContext, errorWords, failed, notAsked, poll } from './context';
import {
  field,
  packageWords,
  type Row,
  readRows,
  type SentPackage,
  scmLineIds,
  sendPackage,
  text,
} from './package';

/** What the first package left in SCM, for the questions that follow it. */
export interface FirstPackage {
  sent: SentPackage;
  entries: Row[];
  header: Row | undefined;
  journalNumber: string | null;
}

const byId = (rows: Row[], id: string) =>
  rows.filter((r) => text(field(r, 'InventoryServiceTransactionId')).toLowerCase() === id.toLowerCase());

export async function askPackage(
  ctx: CheckContext,
): Promise<{ answers: TenantAnswer[]; first: FirstPackage | null }> {
  const sent = await sendPackage(ctx, 1, 1, ctx.options.post ? 'Posted' : 'Created');
  const evidence: TenantEvidence[] = [...sent.evidence];
  const ids = scmLineIds(ctx);
  try {
    const entries = await readRows(
      ctx,
      SCM_ENTRIES_ENTITY,
      'InventoryServiceTransactionId',
      ids,
      evidence,
      'the lines, every field',
    );
    // The client's own read-back, as the sync reads it.
    const read = await ctx.scm.readBackEntries(ids);
    const journalNumber = text(field(entries[0], 'JournalNumber')) || null;
    const headers = journalNumber
      ? await readRows(
          ctx,
          SCM_HEADERS_ENTITY,
          'JournalNumber',
          [journalNumber],
          evidence,
          "the lines' header, every field",
        )
      : [];
    const byDescription = await ctx.scm.readJournalHeadersByDescription(ctx.options.organization, [
      sent.description,
    ]);
    evidence.push({
      what: 'the header found by its Description, as the client reads it',
      body: JSON.stringify(byDescription),
    });
    const header = headers.find((h) => text(field(h, 'Description')) === sent.description) ?? headers[0];
    const first: FirstPackage = { sent, entries, header, journalNumber };
    const lines = read
      .map((e) => `${e.transactionId} is line ${e.lineNumber} of journal ${e.journalNumber}`)
      .join('; ');
    let how: string;
    if (!journalNumber) how = ' SCM holds no line of the package.';
    else {
      const replaced = journalNumber.toLowerCase() !== sent.reference.toLowerCase();
      const found = byDescription.find((h) => h.journalNumber === journalNumber);
      how =
        ` ${lines}.` +
        (ctx.profile.kind === 'file'
          ? ' The profile is one file: there is no header reference.'
          : replaced
            ? ` SCM numbered the journal itself: the header's reference ${sent.reference} was replaced by ${journalNumber}.`
            : ` SCM kept the header's reference ${sent.reference} as the journal number.`) +
        (header
          ? ` The lines carry their header's JournalNumber ${journalNumber}; that header's Description is ${text(field(header, 'Description')) === sent.description ? "the package's" : `"${text(field(header, 'Description'))}", not the package's`}${found ? ', and the client finds it by Description' : ', and the client did not find it by Description'}.`
          : ` No header numbered ${journalNumber} could be read.`);
    }
    const facts = {
      state: sent.status?.state ?? null,
      messageId: sent.messageId,
      errors: sent.errors,
      reference: sent.reference,
      journalNumber,
      lineNumbers: Object.fromEntries(read.map((e) => [e.transactionId, e.lineNumber])),
      referenceReplaced:
        journalNumber === null || ctx.profile.kind === 'file'
          ? null
          : journalNumber.toLowerCase() !== sent.reference.toLowerCase(),
      headerFoundByDescription: byDescription.some((h) => h.journalNumber === journalNumber),
    };
    return {
      answers: [
        answer('package', `${packageWords(sent)}${how}`, facts, evidence),
        blankFields(first, ctx.options.post),
      ],
      first,
    };
  } catch (error) {
    return {
      answers: [
        failed(ctx, 'package', error, evidence),
        notAsked('blankFields', 'Not asked: the package could not be read back.'),
      ],
      first: null,
    };
  }
}

function blankFields(first: FirstPackage, post: boolean): TenantAnswer {
  const line = first.entries[0];
  if (!line) return notAsked('blankFields', 'Not asked: SCM holds no line of the package to read back.');
  const unitCost = field(line, 'UnitCost');
  const lineName = field(line, 'JournalNameId');
  const headerName = field(first.header, 'JournalNameId');
  const shown = (v: unknown) =>
    v === undefined ? 'no such field' : text(v) === '' ? 'blank' : `"${text(v)}"`;
  return answer(
    'blankFields',
    `A blank UnitCost reads back as ${unitCost === undefined ? 'nothing (the entity has no UnitCost field)' : JSON.stringify(unitCost)}. ` +
      `A blank JournalNameId reads back on the line as ${shown(lineName)} and on the header as ${shown(headerName)}` +
      (text(lineName || headerName) !== '' ? ': SCM filled in a journal name.' : '.') +
      (Number(unitCost) === 0
        ? ` Whether posting costs the line at SCM's own cost or at zero the entity does not say: ${post ? 'look at the posted journal' : 'after a --post run, look at the posted journal'}'s cost in SCM.`
        : ''),
    {
      unitCost: unitCost ?? null,
      lineJournalNameId: lineName ?? null,
      headerJournalNameId: headerName ?? null,
    },
    [],
  );
}

/** The same two transaction IDs again, at ±2: refused, updated in place, or a second line? */
export async function askRepeat(ctx: CheckContext, first: FirstPackage | null): Promise<TenantAnswer> {
  if (!first || first.entries.length === 0)
    return notAsked('repeatedTransactionId', 'Not asked: the first package left no line in SCM to repeat.');
  const sent = await sendPackage(ctx, 2, 2, 'Created');
  const evidence = [...sent.evidence];
  try {
    const ids = scmLineIds(ctx);
    const rows = await readRows(
      ctx,
      SCM_ENTRIES_ENTITY,
      'InventoryServiceTransactionId',
      ids,
      evidence,
      'the lines after the repeat',
    );
    const quantities = Object.fromEntries(
      ids.map((id) => [id, byId(rows, id).map((r) => Number(field(r, 'InventoryQuantity')))]),
    );
    const twice = ids.some((id) => byId(rows, id).length > 1);
    const updated = ids.every((id) => Math.abs(quantities[id]?.[0] ?? 0) === 2);
    const moved = rows.find((r) => text(field(r, 'JournalNumber')) !== first.journalNumber);
    const alreadyExists = sent.errors.some((e) => /already exist/i.test(e));
    const repeatJournals = await ctx.scm.readJournalHeadersByDescription(ctx.options.organization, [
      sent.description,
    ]);
    const empty =
      repeatJournals.length > 0
        ? ` The repeat's header still made journal ${repeatJournals.map((h) => h.journalNumber).join(', ')}.`
        : '';
    let outcome: string;
    let words: string;
    if (twice) {
      outcome = 'duplicated';
      words =
        'SCM now holds two lines under one transaction ID: it neither refused nor updated. The client reads a line back by its ID and would see both; tell the maintainers.';
    } else if (updated && moved) {
      outcome = 'createdAgain';
      words = `SCM created the lines again, in journal ${text(field(moved, 'JournalNumber'))}: the lines it held were gone (its journal name deletes lines after posting), so the IDs were free. Nothing here says whether it would refuse or update a line it still holds.`;
    } else if (updated) {
      outcome = 'upserted';
      words =
        'SCM updated the lines it held (upsert): they now read ±2, in the same journal. "The record already exists" never comes here; the client does not need it (it reads a package back before resending, and a resend carries the same values).';
    } else if (alreadyExists) {
      outcome = 'refused';
      words =
        'SCM refused the repeat with "The record already exists" and kept ±1, as the client assumes: a line SCM already holds reads back as created, and the message is only shown.';
    } else {
      outcome = sent.errors.length > 0 ? 'refusedOtherwise' : 'unclear';
      words = `SCM kept ±1${sent.errors.length > 0 ? ', refusing the repeat in other words than "The record already exists"' : ' and said nothing about the repeat'}; the client reads back before any resend, so this is safe, but tell the maintainers.`;
    }
    return answer(
      'repeatedTransactionId',
      `${packageWords(sent)} ${words}${empty}`,
      {
        outcome,
        quantities,
        errors: sent.errors,
        state: sent.status?.state ?? null,
        repeatJournals: repeatJournals.map((h) => h.journalNumber),
      },
      evidence,
    );
  } catch (error) {
    return failed(ctx, 'repeatedTransactionId', error, evidence);
  }
}

/** With --post: waits for SCM's posting job to post the first journal, within waitMinutes. */
export async function askPosting(
  ctx: CheckContext,
  first: FirstPackage | null,
): Promise<{ answer: TenantAnswer; posted: boolean }> {
  if (!ctx.options.post)
    return {
      answer: notAsked(
        'posting',
        'Not asked: the journal expects Created and is never posted (run with --post to ask).',
      ),
      posted: false,
    };
  if (!first?.journalNumber)
    return { answer: notAsked('posting', 'Not asked: the first package made no journal.'), posted: false };
  const journalNumber = first.journalNumber;
  ctx.progress(
    `Waiting for SCM's posting job to post ${journalNumber} (at most ${ctx.options.waitMinutes} min)`,
  );
  const started = ctx.now();
  try {
    const header = await poll(ctx, async () => {
      const [h] = await ctx.scm.readJournalHeaders([{ dataAreaId: ctx.options.organization, journalNumber }]);
      return h?.isPosted ? h : null;
    });
    const seconds = Math.round((ctx.now() - started) / 1000);
    const words = header
      ? `SCM's posting job posted ${journalNumber}, seen ${seconds} s into the wait${header.postedAt ? ` (PostedDateTime ${header.postedAt})` : ''}. The journal nets to zero, so physical on-hand is unchanged.`
      : `SCM's posting job did not post ${journalNumber} within ${ctx.options.waitMinutes} min. Check that the Inventory Visibility posting job is enabled and has a recurrence, and the journal in Inventory management › Journal entries; it is zero-net, so posting it or deleting it changes no stock.`;
    return {
      answer: answer('posting', words, { posted: header !== null, journalNumber, seconds }, [
        { what: 'the header at the end', body: JSON.stringify(header) },
      ]),
      posted: header !== null,
    };
  } catch (error) {
    return { answer: failed(ctx, 'posting', error), posted: false };
  }
}

/** `AreLinesDeletedAfterPosting` on the header [MD], if the field exists; after --post, what happened. */
export async function askLinesDeleted(
  ctx: CheckContext,
  first: FirstPackage | null,
  posted: boolean,
): Promise<TenantAnswer> {
  if (!first?.header)
    return notAsked('linesDeletedAfterPosting', 'Not asked: no header of the package could be read.');
  const value = field(first.header, 'AreLinesDeletedAfterPosting');
  const name = text(field(first.header, 'JournalNameId')) || 'the default journal name';
  const evidence: TenantEvidence[] = [];
  let observed: 'kept' | 'deleted' | null = null;
  try {
    if (posted) {
      const rows = await readRows(
        ctx,
        SCM_ENTRIES_ENTITY,
        'InventoryServiceTransactionId',
        scmLineIds(ctx),
        evidence,
        'the lines after posting',
      );
      // Only the first journal's lines: a repeat may have made the IDs' lines anew elsewhere.
      observed = rows.some((r) => text(field(r, 'JournalNumber')) === first.journalNumber)
        ? 'kept'
        : 'deleted';
    }
  } catch (error) {
    evidence.push({ what: 'the lines after posting', body: errorWords(ctx, error) });
  }
  const said =
    value === undefined
      ? "The headers entity has no AreLinesDeletedAfterPosting field here: the client cannot tell, and finds a journal whose lines are gone by the header's Description."
      : `Journal ${first.journalNumber} (journal name ${name}) reads AreLinesDeletedAfterPosting = ${text(value)}.`;
  const seen = observed
    ? ` After posting, its lines were ${observed}.`
    : posted
      ? ''
      : ' (Not posted here: run with --post to see it happen.)';
  return answer(
    'linesDeletedAfterPosting',
    `${said}${seen}`,
    {
      fieldPresent: value !== undefined,
      value: value ?? null,
      journalNameId: name,
      linesAfterPosting: observed,
    },
    evidence,
  );
}
