/**
 * The tenant check: a run against a sandbox that asks SCM and IV what the client can only assume
 * where Microsoft is silent (docs/dynamics-contract.md §5), with zero-net test lines on one test
 * item. Shared by the CLI (`npm run tenant-check`), the RPC `sync.tenantCheck` and the dialog.
 */
import { z } from 'zod';
import { hasControlChars } from './text';

const code = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: `must name ${what}` })
    .max(64, { error: 'must be at most 64 characters' })
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

export const SANDBOX_REFUSAL =
  'The tenant check writes to the tenant (a zero-net pair of test lines on one item, in IV and in an SCM journal). ' +
  'It runs only once you confirm that this is a sandbox, not production.';

export const tenantCheckInputSchema = z.strictObject({
  /** The item the pair is recorded on: one kept for tests. */
  item: code('a test item'),
  site: code('a site'),
  warehouse: code('a warehouse'),
  /** The company; blank: the store's default organization. */
  organization: code('an organization').nullish(),
  confirmSandbox: z.literal(true, { error: `must be confirmed. ${SANDBOX_REFUSAL}` }),
  /** Let the journal expect Posted and wait for SCM's posting job; otherwise it stays Created. */
  post: z.boolean({ error: 'must be true or false' }).default(false),
  /** The IV data source and physical measure the pair moves (and the journal lines' offset pair). */
  dataSource: code('a data source')
    .refine((s) => s.toLowerCase() !== 'fno', { error: 'must not be fno (IV refuses writes to it)' })
    .default('@iv'),
  measure: code('a physical measure').default('adjustment'),
  /** How long to wait for each SCM import (and the posting job), in minutes. */
  waitMinutes: z
    .number({ error: 'must be a whole number of minutes' })
    .int({ error: 'must be a whole number of minutes' })
    .min(1, { error: 'must be at least 1 minute' })
    .max(120, { error: 'must be at most 120 minutes' })
    .default(10),
});
export type TenantCheckInput = z.input<typeof tenantCheckInputSchema>;
export type TenantCheckOptions = z.output<typeof tenantCheckInputSchema>;

const DOC = 'docs/dynamics-contract.md';

/** Each question, and the assumption of the contract its answer settles. */
export const TENANT_QUESTIONS = {
  jobStatusUnknownMessage: {
    question: "What SCM's jobstatus answers for a message ID it never saw",
    settles: `${DOC} §5, "jobstatus for a message SCM never saw"`,
  },
  dataProject: {
    question: "The data project as SCM's data management lists it, against the import profile in use",
    settles: `${DOC} §5, "the data project's shape (§1)"`,
  },
  ivBulkAnswer: {
    question: "The body of IV's on-hand bulk answer, and what a resend looks like",
    settles: `${DOC} §4, "Inventory Visibility on-hand bulk (undocumented answer)"`,
  },
  package: {
    question: 'The data package: its import, the numbers SCM gave, and how lines find their header',
    settles: `${DOC} §5, "the header's JournalNumber reference"`,
  },
  repeatedTransactionId: {
    question: 'A transaction ID sent again with another quantity: refused or updated?',
    settles: `${DOC} §5, "a transaction ID SCM already holds"`,
  },
  blankFields: {
    question: 'What a blank UnitCost and a blank JournalNameId become',
    settles: `${DOC} §5, "a blank UnitCost or JournalNameId"`,
  },
  urlLimit: {
    question: 'The longest read-back URL SCM accepts',
    settles: `${DOC} §5, "F&O's URL length limit"`,
  },
  linesDeletedAfterPosting: {
    question: 'Whether the journal name in use deletes lines after posting',
    settles: `${DOC} §5, "journal names that delete lines after posting"`,
  },
  posting: {
    question: "SCM's posting job and the test journal (only with --post)",
    settles: `${DOC} §3, "Posting"`,
  },
} as const satisfies Record<string, { question: string; settles: string }>;
export type TenantQuestion = keyof typeof TENANT_QUESTIONS;

/** One raw answer, as it came (redacted, cut at a few thousand characters). */
export interface TenantEvidence {
  what: string;
  /** Method and URL (never a header: no token). */
  request?: string;
  status?: number | null;
  body?: string;
}

export interface TenantAnswer {
  key: TenantQuestion;
  question: string;
  /** false: not asked (said why in `answer`). */
  asked: boolean;
  answer: string;
  /** The assumption it settles: docs/dynamics-contract.md, section and row. */
  settles: string;
  /** The answer as values, for tests and tools. */
  facts: Record<string, unknown>;
  evidence: TenantEvidence[];
}

export interface TenantCheckReport {
  tool: 'Store Ledger tenant check';
  version: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** ran: whatever it found; unreachable: IV or SCM could not be reached, nothing was sent. */
  outcome: 'ran' | 'unreachable';
  unreachable: string | null;
  target: {
    fnoEnvironmentUrl: string;
    ivEndpoint: string;
    environmentId: string;
    activityId: string;
    organization: string;
    item: string;
    site: string;
    warehouse: string;
    dataSource: string;
    measure: string;
    post: boolean;
    importProfile: string;
  };
  /** What it sent, in words: every line tagged tenant-check-<run id>, every pair net zero. */
  sent: string[];
  answers: TenantAnswer[];
}

export interface TenantCheckResult {
  report: TenantCheckReport;
  markdownPath: string;
  jsonPath: string;
}
