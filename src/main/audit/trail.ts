/**
 * The audit trail: who did what, on which PC, when, and whether it was done or refused, in a
 * table no one can quietly edit.
 *
 * Design:
 * - One append-only table, `audit_events` (migration 14). Its triggers refuse UPDATE and DELETE,
 *   so the app itself cannot edit a row; someone holding the file can drop the triggers, so
 *   the rows are also hash-chained: `hash` = SHA-256 over `prev_hash` and the row's canonical
 *   JSON (ledger/audit-chain.ts). A row edited or removed breaks the chain from there on.
 * - A row: `seq`, `at` (the ledger's Clock), the actor (kind, ID, name: a person, a store
 *   system's key, the computer's user, nobody signed in, or the app), the PC (os.hostname),
 *   the action (the RPC's name, or an event: `sign-in.failed`, `audit.genesis`), its target
 *   (line IDs, a count, a key, setting names), old and new values for settings, mappings and
 *   people (secrets never: a field named like one is replaced, and every text passes the same
 *   Redactor the diagnostics bundle uses), and the outcome (`done`, or `refused` with the code).
 * - Lines are chained too. Each write that creates lines (the one entry pipeline: a bulk POST,
 *   Create, a draft's Post, a count's Apply, a correction) appends one event in the lines' own
 *   transaction, with their seq range, a SHA-256 over their immutable fields (what was entered
 *   and by whom: not the sync's status columns) and a byte per field per line (marks), so an
 *   edit of a line's quantity behind the app is found and named. One event per request, never
 *   per line: a 1,000-line bulk adds one row. Lines already in the ledger at the upgrade are
 *   covered by genesis events, written by the migration.
 * - Recording happens in one place: dispatch (rpc/dispatch.ts) asks `begin` before the role
 *   check and tells the call how it ended; an RPC in AUDITED_RPCS is recorded either way, a
 *   read only when the role check refused it. Lines entered while an audited RPC runs are
 *   recorded under its action (audit/scope.ts), and then no second row is added for it.
 * - Verification (verify.ts) walks the chain and the lines' digests in slices, at start in the
 *   background and on a manager's request, and says in words what was changed and since when.
 */
import os from 'node:os';
import type { AuditEventView, AuditQuery, AuditVerifyReport } from '../../shared/audit';
import type { RpcName } from '../../shared/rpc';
import type { Page } from '../../shared/views';
import { nowIso } from '../clock';
import type { AuditEventRow, Ledger, NewAuditEvent } from '../ledger';
import type { Actor } from '../people/actor';
import { AUDITED_RPCS, actionWords, settingNames, targetOf, withoutSecrets } from './actions';
import { type AuditScope, inAuditScope } from './scope';
import { verifyChain } from './verify';

export interface AuditDeps {
  ledger: Ledger;
  /** Blanks out the secrets the app knows (the client secret, API keys), as the diagnostics bundle does. */
  redact: (text: string) => string;
  /** Reads the settings as a settings change sees them (before and after). */
  settings: () => unknown;
  log: (message: string) => void;
}

/** How an audited call ended. */
export type CallEnd = { ok: true; value: unknown } | { ok: false; code: string };

/** One RPC being answered, as dispatch tells the trail about it. */
export interface AuditCall {
  /** Runs the handler with its lines recorded under this call (audit/scope.ts). */
  within<T>(work: () => Promise<T>): Promise<T>;
  /** Records how it ended (when it is to be recorded); never rejects. */
  end(how: CallEnd): Promise<void>;
  /** A manager approved this call on the spot (an override): named in its target, and its lines'. */
  approvedBy(manager: Actor): void;
}

const PC = os.hostname();
const LONG_TEXT = 500;

export class AuditTrail {
  private running: Promise<AuditVerifyReport> | null = null;
  private last: AuditVerifyReport | null = null;

  constructor(private readonly deps: AuditDeps) {}

  /** Before the role check: the actor the caller resolved to (or null) and the raw input. */
  begin(name: RpcName, actor: Actor | null, input: unknown): AuditCall {
    if (!AUDITED_RPCS.has(name)) return this.read(name, actor, input);
    const before = this.valueBefore(name, input);
    const scope: AuditScope = {
      basis: this.basis(name, actor, targetOf(name, input)),
      linesRecorded: false,
    };
    return {
      approvedBy: (manager) => this.approved(scope, name, input, manager),
      within: (work) => inAuditScope(scope, work),
      end: async (how) => {
        // Lines it entered were recorded with them, under its action: no second row.
        if (how.ok && scope.linesRecorded) return;
        await this.appendQuietly(name, () => this.ended(name, scope, how, before, input));
      },
    };
  }

  /** A read: nothing is recorded (nor prepared) unless the role check refuses it. */
  private read(name: RpcName, actor: Actor | null, input: unknown): AuditCall {
    return {
      approvedBy: () => {},
      within: (work) => work(),
      end: async (how) => {
        if (how.ok || (how.code !== 'forbidden' && how.code !== 'signed_out')) return;
        const scope = { basis: this.basis(name, actor, targetOf(name, input)), linesRecorded: false };
        await this.appendQuietly(name, () => this.ended(name, scope, how, undefined, input));
      },
    };
  }

  private async appendQuietly(name: string, event: () => Omit<NewAuditEvent, 'at'>): Promise<void> {
    try {
      await this.append(event());
    } catch (error) {
      // The action happened; a trail that cannot be written is said in the log, not to the caller.
      this.deps.log(`The audit trail could not record ${name}: ${(error as Error).message}`);
    }
  }

  list(query: AuditQuery): Page<AuditEventView> {
    const page = this.deps.ledger.audit.list(query);
    return { count: page.count, value: page.value.map(toView) };
  }

  /** Walks the chain (verify.ts); a second request while one runs gets the same answer. */
  verify(): Promise<AuditVerifyReport> {
    if (this.running) return this.running;
    const { ledger } = this.deps;
    this.running = verifyChain(ledger.audit, () => nowIso(ledger.clock))
      .then((report) => {
        this.last = report;
        if (!report.ok) this.deps.log(`Audit check: ${report.summary}`);
        return report;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** At start, in the background: the store keeps working, a finding shows as a warning. */
  checkInBackground(): void {
    this.verify().catch((error: unknown) =>
      this.deps.log(`The audit trail could not be checked: ${(error as Error).message}`),
    );
  }

  status(): { running: boolean; report: AuditVerifyReport | null } {
    return { running: this.running !== null, report: this.last };
  }

  /** Stamped now, written after any open bulk: a clerk's action never waits for a POS's 50,000 lines. */
  private append(event: Omit<NewAuditEvent, 'at'>): Promise<void> {
    const { ledger } = this.deps;
    return ledger.audit.append({ ...event, at: nowIso(ledger.clock) });
  }

  private approved(scope: AuditScope, name: RpcName, input: unknown, manager: Actor): void {
    const target = { ...targetOf(name, input), approvedBy: manager.name, approvedById: manager.id };
    scope.basis = { ...scope.basis, target: this.json(target) };
  }

  private basis(name: string, actor: Actor | null, target: unknown) {
    return {
      actor_kind: actor?.kind ?? 'nobody',
      actor_id: actor?.id ?? null,
      actor_name: actor?.name ?? 'Nobody signed in',
      pc: PC,
      action: name,
      target: this.json(target),
      old_value: null,
      new_value: null,
      outcome: 'done' as const,
      error_code: null,
    };
  }

  private ended(
    name: RpcName,
    scope: AuditScope,
    how: CallEnd,
    before: unknown,
    input: unknown,
  ): Omit<NewAuditEvent, 'at'> {
    const event = {
      ...scope.basis,
      lines_first: null,
      lines_last: null,
      lines_count: null,
      lines_digest: null,
      lines_marks: null,
    };
    if (!how.ok) Object.assign(event, { outcome: 'refused', error_code: how.code });
    if (name === 'session.signIn') return this.signIn(event, how, input);
    if (name === 'session.signOut') event.action = 'sign-out';
    if (how.ok && before !== undefined) {
      const after = this.valueAfter(name, input, how.value);
      Object.assign(event, { old_value: this.json(before), new_value: this.json(after) });
    }
    if (how.ok && name === 'apiKeys.create')
      event.new_value = this.json({ keyId: (how.value as { apiKey?: { keyId?: string } }).apiKey?.keyId });
    return event;
  }

  /** Signing in: the person proven, or who was tried (never the PIN or the badge). */
  private signIn(event: Omit<NewAuditEvent, 'at'>, how: CallEnd, input: unknown): Omit<NewAuditEvent, 'at'> {
    if (how.ok) {
      const actor = (how.value as { actor?: Actor | null }).actor;
      return {
        ...event,
        action: 'sign-in',
        actor_kind: actor?.kind ?? 'nobody',
        actor_id: actor?.id ?? null,
        actor_name: actor?.name ?? 'Nobody signed in',
      };
    }
    const personId = (input as { personId?: unknown } | null)?.personId;
    const person = typeof personId === 'string' ? this.deps.ledger.people.get(personId) : undefined;
    return {
      ...event,
      action: how.code === 'locked_out' ? 'sign-in.locked-out' : 'sign-in.failed',
      actor_kind: 'nobody',
      actor_id: person?.person_id ?? null,
      actor_name: person ? person.name : typeof personId === 'string' ? 'Unknown person' : 'A badge',
      target: this.json(person ? { personId: person.person_id } : { badge: true }),
    };
  }

  /** What a change replaces: settings, a mapping, a person, read before the handler runs. */
  private valueBefore(name: RpcName, input: unknown): unknown {
    const given = (input ?? {}) as Record<string, unknown>;
    const { ledger } = this.deps;
    try {
      if (name === 'settings.update') return pick(this.deps.settings(), settingNames(given));
      if (name === 'mappings.upsert') {
        const mapping = given.mapping as { physicalMeasure?: unknown } | undefined;
        const key = given.originalPhysicalMeasure ?? mapping?.physicalMeasure;
        return typeof key === 'string' ? (ledger.mappings.find(key) ?? null) : null;
      }
      if (name === 'mappings.delete')
        return typeof given.physicalMeasure === 'string'
          ? (ledger.mappings.find(given.physicalMeasure) ?? null)
          : null;
      if (name === 'people.update' && typeof given.personId === 'string')
        return personFacts(ledger, given.personId);
    } catch {
      return undefined;
    }
    return undefined;
  }

  private valueAfter(name: RpcName, input: unknown, _value: unknown): unknown {
    const given = (input ?? {}) as Record<string, unknown>;
    const { ledger } = this.deps;
    if (name === 'settings.update') return pick(this.deps.settings(), settingNames(given), given);
    if (name === 'mappings.upsert') {
      const mapping = given.mapping as { physicalMeasure?: unknown } | undefined;
      return typeof mapping?.physicalMeasure === 'string'
        ? (ledger.mappings.find(mapping.physicalMeasure) ?? null)
        : null;
    }
    if (name === 'people.update' && typeof given.personId === 'string')
      return personFacts(ledger, given.personId);
    return null;
  }

  /** JSON with secrets replaced and long texts cut, through the app's Redactor. */
  private json(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = JSON.stringify(withoutSecrets(value), (_key, v: unknown) =>
      typeof v === 'string' && v.length > LONG_TEXT ? `${v.slice(0, LONG_TEXT)}…` : v,
    );
    return this.deps.redact(text);
  }
}

/** The paths a settings patch names, read from `from`; a path the settings do not hold (a secret) from the patch, to be redacted. */
function pick(from: unknown, paths: string[], patch?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const value = at(from, path);
    out[path] =
      value === undefined && patch ? (at(patch, path) === null ? null : '[redacted]') : (value ?? null);
  }
  return out;
}

function at(value: unknown, path: string): unknown {
  let here = value;
  for (const key of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function personFacts(ledger: Ledger, personId: string) {
  const p = ledger.people.get(personId);
  return p ? { name: p.name, role: p.role, active: p.active === 1, hasBadge: p.badge_index !== null } : null;
}

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function toView(row: AuditEventRow): AuditEventView {
  return {
    seq: row.seq,
    at: row.at,
    actor: {
      kind: row.actor_kind as AuditEventView['actor']['kind'],
      id: row.actor_id,
      name: row.actor_name,
    },
    pc: row.pc,
    action: row.action,
    actionWords: actionWords(row.action),
    target: parse(row.target),
    oldValue: parse(row.old_value),
    newValue: parse(row.new_value),
    outcome: row.outcome,
    errorCode: row.error_code,
    lines:
      row.lines_first !== null && row.lines_last !== null
        ? { first: row.lines_first, last: row.lines_last, count: row.lines_count ?? 0 }
        : null,
  };
}
