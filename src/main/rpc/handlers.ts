import { mappingKey } from '../../shared/mappings';
import type { AppInfo, Suggestions } from '../../shared/rpc';
import { administratorSettingsIn } from '../../shared/settings';
import type { ApprovalService } from '../approvals/service';
import type { AuditTrail } from '../audit/trail';
import type { SettingsService } from '../config/settings-service';
import { correctLine, voidLine } from '../corrections/void-and-correct';
import type { CountService } from '../counts/service';
import type { DownloadOffers, OfferedFile } from '../downloads/offers';
import type { DraftService } from '../drafts/service';
import { AppError, InputError, notFound } from '../errors';
import { exportXlsx } from '../export/xlsx-export';
import type { ApprovalRequest } from '../ingest/approval-rule';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { LedgerHealthMonitor } from '../ledger/health';
import { runIntegrityCheck } from '../ledger/integrity';
import { checkPlace, lookupCode } from '../master-data/checks';
import type { MasterDataService } from '../master-data/service';
import type { OnHandService } from '../onhand/service';
import { requireRole } from '../people/access';
import type { Actor } from '../people/actor';
import { authorOf, isAuthor } from '../people/actor';
import type { ApiKeyRegistry } from '../people/api-keys';
import type { PeopleService } from '../people/service';
import type { PreferenceStore } from '../preferences/preferences-store';
import type { ReasonService } from '../reasons/service';
import type { SyncService } from '../sync/types';
import { tenantCheckInApp } from '../tenant-check/in-app';
import { type ApprovalRpc, approvalHandlers } from './approval-handlers';
import { auditHandlers } from './audit-handlers';
import { acting, type CallContext, type RpcHandlers } from './context';
import { type PeopleRpc, peopleHandlers } from './people-handlers';

export type { CallContext, RpcHandlers } from './context';

export interface HandlerDeps {
  ledger: Ledger;
  settings: SettingsService;
  apiKeys: ApiKeyRegistry;
  people: PeopleService;
  sync: SyncService;
  masterData: MasterDataService;
  drafts: DraftService;
  onHand: OnHandService;
  counts: CountService;
  entry: EntryPipeline;
  /** The audit trail (audit/trail.ts). */
  audit: AuditTrail;
  /** The store's reason codes, and the lines waiting for a manager. */
  reasons: ReasonService;
  approvals: ApprovalService;
  /** Writes the diagnostics bundle (diagnostics/bundle.ts). */
  diagnostics: (options: {
    full: boolean;
  }) => Promise<{ fileName: string; path: string; bytes: number; zip: Uint8Array }>;
  info: () => AppInfo;
  health: LedgerHealthMonitor;
  nativeBinding?: string;
  preferences: PreferenceStore;
  /** Files written for the clerk to save, each fetched once (downloads/offers.ts). */
  downloads: DownloadOffers;
  /** The desktop shell's Save dialog: copies the file where the person chose; null if cancelled. */
  saveFile?: SaveFile;
}

export type SaveFile = (file: OfferedFile) => Promise<string | null>;

/** The one table behind every UI action, whichever transport (IPC, HTTP) carries it. */
export function createHandlers(deps: HandlerDeps): RpcHandlers {
  return watchDisk(
    { ...table(deps), ...peopleHandlers(deps), ...auditHandlers(deps), ...approvalHandlers(deps) },
    deps.health,
  );
}

/** A handler that meets a full or failing disk marks the ledger degraded (and the caller gets words). */
function watchDisk(handlers: RpcHandlers, health: LedgerHealthMonitor): RpcHandlers {
  const watched: Record<string, (input: never, ctx: CallContext) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [
    string,
    (input: never, ctx: CallContext) => unknown,
  ][]) {
    watched[name] = (input, ctx) => {
      try {
        const result = handler(input, ctx);
        return result instanceof Promise
          ? result.catch((error: unknown) => {
              health.report(error);
              throw error;
            })
          : result;
      } catch (error) {
        health.report(error);
        throw error;
      }
    };
  }
  return watched as RpcHandlers;
}

type TableHandlers = Omit<RpcHandlers, PeopleRpc | ApprovalRpc | `audit.${string}`>;

function table(deps: HandlerDeps): TableHandlers {
  const { ledger, settings, sync } = deps;
  return {
    'app.info': () => deps.info(),
    'lines.create': async ({ line, instantIvSync, screen, confirmedLargeQuantity, park }, ctx) => {
      const actor = acting(ctx);
      const entered = await deps.entry.enter(line, {
        source: screen === 'scan' ? 'scan' : 'form',
        author: authorOf(actor),
        instantIv: instantIvSync,
        confirmedLargeQuantity,
        approval: approvalOf(ctx, { park }),
      });
      const held = entered.held[0];
      if (held) return { held: true, heldId: held.heldId, id: held.id, why: held.why };
      return entered.lines[0]!;
    },
    'lines.list': (query) => {
      const page = ledger.lines.list(query);
      return { ...page, value: ledger.lines.withScm(page.value) };
    },
    'lines.get': ({ lineRecordId }) => {
      const line = ledger.lines.get(lineRecordId);
      if (!line) throw notFound(`Line ${lineRecordId}`);
      return ledger.lines.withScm([line])[0]!;
    },
    'lines.attempts': ({ lineRecordId }) => sync.attemptsFor(lineRecordId),
    'lines.void': async ({ lineRecordId, reason }, ctx) => {
      const actor = acting(ctx);
      if (!ctx.approvedBy) ownLineOrManager(actor, ledger, lineRecordId, 'Voiding another person’s line');
      return await voidLine(ledger, sync, lineRecordId, reason, authorOf(actor));
    },
    'lines.correct': ({ lineRecordId, replacement, confirmedLargeQuantity }, ctx) => {
      const actor = acting(ctx);
      if (!ctx.approvedBy) ownLineOrManager(actor, ledger, lineRecordId, 'Correcting another person’s line');
      return correctLine(ledger, deps.entry, lineRecordId, {
        replacement,
        confirmedLargeQuantity,
        author: authorOf(actor),
        approval: approvalOf(ctx),
      });
    },
    'aggregated.list': (query) => ledger.aggregated.list(query),
    'aggregated.get': ({ aggregatedLineId }) => {
      const line = ledger.aggregated.get(aggregatedLineId);
      if (!line) throw notFound(`Aggregated line ${aggregatedLineId}`);
      return line;
    },
    'aggregated.attempts': ({ aggregatedLineId }) => sync.attemptsFor(aggregatedLineId),
    'aggregated.retry': ({ aggregatedLineIds }) => {
      const result = sync.retry(aggregatedLineIds);
      return result;
    },
    'aggregated.markDoNotSync': ({ aggregatedLineIds, reason }) => {
      const result = sync.markDoNotSync(aggregatedLineIds, reason);
      return result;
    },
    'suggestions.get': () => suggestions(ledger),
    'settings.get': () => settings.view(),
    'settings.update': (patch, ctx) => {
      const admin = administratorSettingsIn(patch);
      if (admin.length > 0)
        requireRole(acting(ctx), 'administrator', `Changing the connection (${admin.join(', ')})`);
      return settings.update(patch);
    },
    'settings.loadImportProfile': ({ content }) => settings.loadImportProfile(content),
    'mappings.list': () => ledger.mappings.list(),
    'mappings.upsert': ({ mapping, originalPhysicalMeasure }) => {
      const outcome = ledger.mappings.upsert(mapping, originalPhysicalMeasure);
      if (outcome === 'duplicate')
        throw new InputError('The mapping is not valid', [
          { field: 'physicalMeasure', message: `'${mapping.physicalMeasure}' already has a mapping row` },
        ]);
      if (outcome === 'not_found') throw notFound(`The mapping for '${originalPhysicalMeasure}'`);
      return ledger.mappings.list();
    },
    'mappings.delete': ({ physicalMeasure }) => {
      if (!ledger.mappings.delete(mappingKey(physicalMeasure)))
        throw notFound(`The mapping for '${physicalMeasure}'`);
      return ledger.mappings.list();
    },
    'sync.status': () => sync.status(),
    'sync.run': ({ job }) => sync.run(job),
    'sync.runs': ({ top }) => sync.runs(top),
    'sync.initialize': () => sync.initialize(),
    'sync.tenantCheck': (input) => {
      const { dataDir, version } = deps.info();
      return tenantCheckInApp({ settings, dataDir, version }, input);
    },
    'ledger.health': () => deps.health.current(),
    'ledger.integrityCheck': () =>
      runIntegrityCheck(deps.info().ledgerPath, deps.nativeBinding, { clock: deps.ledger.clock }),
    'export.xlsx': ({ kind, query }) =>
      exportXlsx(
        {
          ledger,
          ledgerPath: deps.info().ledgerPath,
          nativeBinding: deps.nativeBinding,
          downloads: deps.downloads,
        },
        kind,
        query,
      ),
    'files.save': async ({ downloadId }) => {
      if (!deps.saveFile)
        throw new AppError(
          'feature_disabled',
          'Saving through a dialog is for the desktop app: in a browser the file downloads by itself.',
        );
      const offered = deps.downloads.take(downloadId);
      if (!offered)
        throw new AppError(
          'not_found',
          'This file was saved already or is no longer there (after 10 minutes): export it again.',
        );
      try {
        return { savedTo: await deps.saveFile(offered) };
      } finally {
        offered.done();
      }
    },
    'preferences.get': () => deps.preferences.get(),
    'preferences.update': (patch) => deps.preferences.update(patch),
    'masterData.status': () => deps.masterData.status(),
    'masterData.refresh': ({ organizationIds }) => deps.masterData.refresh(organizationIds),
    'masterData.lookup': ({ organizationId, code }) => lookupCode(ledger.masterData, organizationId, code),
    'masterData.checkPlace': (place) => checkPlace(ledger.masterData, place),
    'masterData.entryCheck': ({ lineRecordId }) => ledger.masterData.entryCheck(lineRecordId),
    'drafts.list': () => deps.drafts.list(),
    'drafts.create': ({ name }) => deps.drafts.create(name),
    'drafts.get': ({ draftId, top, skip, problemsOnly }) => deps.drafts.get(draftId, top, skip, problemsOnly),
    'drafts.paste': ({ draftId, text, columns, locale }) => deps.drafts.paste(draftId, text, columns, locale),
    'drafts.import': ({ draftId, fileName, content, locale }) =>
      deps.drafts.import(draftId, fileName, content, locale),
    'drafts.editRow': ({ draftId, block, row, values, locale }) =>
      deps.drafts.editRow(draftId, block, row, values, locale),
    'drafts.deleteRow': ({ draftId, block, row }) => deps.drafts.deleteRow(draftId, block, row),
    'drafts.deleteBlock': ({ draftId, block }) => deps.drafts.deleteBlock(draftId, block),
    'drafts.post': ({ draftId, confirmLargeQuantity, confirmReimport }, ctx) =>
      deps.drafts.post(draftId, authorOf(acting(ctx)), {
        largeQuantity: confirmLargeQuantity,
        reimport: confirmReimport,
        approval: approvalOf(ctx),
      }),
    'drafts.delete': ({ draftId }) => deps.drafts.delete(draftId),
    'diagnostics.create': async ({ full }) => {
      const { zip: _, ...bundle } = await deps.diagnostics({ full });
      // The bundle stays in the data folder; the offer lets the clerk save a copy elsewhere.
      const { downloadId } = deps.downloads.offer({
        file: bundle.path,
        fileName: bundle.fileName,
        contentType: 'application/zip',
        bytes: bundle.bytes,
        temporary: false,
      });
      return { ...bundle, downloadId };
    },
    'onhand.get': (query) => deps.onHand.get(query),
    'counts.list': () => deps.counts.list(),
    'counts.create': (input) => deps.counts.create(input),
    'counts.get': ({ countId }) => deps.counts.get(countId),
    'counts.record': ({ countId, ...item }) => deps.counts.record(countId, item),
    'counts.apply': ({ countId, ...choices }, ctx) =>
      deps.counts.apply(countId, authorOf(acting(ctx)), { ...choices, approval: approvalOf(ctx) }),
    'counts.paste': ({ countId, text }) => deps.counts.paste(countId, text),
    'counts.removeItem': ({ countId, item }) => deps.counts.removeItem(countId, item),
  };
}

/** Who enters lines on this call, for the pipeline's approval rule (ingest/approval-rule.ts). */
function approvalOf(ctx: CallContext, options: { park?: boolean } = {}): ApprovalRequest {
  const actor = acting(ctx);
  return {
    role: actor.role,
    kind: actor.kind,
    ...(ctx.approvedBy && { approvedBy: authorOf(ctx.approvedBy) }),
    ...(options.park && { park: true }),
  };
}

/** A clerk voids and corrects their own lines; anyone else's (or a line from before sign-in) needs a manager. */
function ownLineOrManager(actor: Actor, ledger: Ledger, lineRecordId: string, doing: string): void {
  const line = ledger.lines.get(lineRecordId);
  if (!line) throw notFound(`Line ${lineRecordId}`);
  if (!isAuthor(actor, line)) requireRole(actor, 'manager', doing);
}

function suggestions(ledger: Ledger): Suggestions {
  const s = ledger.settings.read();
  const recent = ledger.lines.recentValues();
  const organizations = recent.organization_id;
  if (s.defaultOrganizationId && !organizations.includes(s.defaultOrganizationId))
    organizations.unshift(s.defaultOrganizationId);
  const measures = recent.physical_measure;
  for (const m of ledger.mappings.list())
    if (!measures.includes(m.physicalMeasure)) measures.push(m.physicalMeasure);
  const last = ledger.lines.lastFormEntry();
  return {
    organizations,
    dataSources: recent.quantity_data_source,
    physicalMeasures: measures,
    journalNames: recent.fno_journal_name_id,
    externalReferenceCategories: recent.external_reference_category,
    last: last
      ? { organizationId: last.organization_id, siteId: last.site_id, locationId: last.location_id }
      : null,
  };
}
