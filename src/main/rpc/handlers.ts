import os from 'node:os';
import { mappingKey } from '../../shared/mappings';
import type { AppInfo, RpcName, RpcOutputs, RpcParsedInput, Suggestions } from '../../shared/rpc';
import type { ApiKeyService } from '../config/api-key';
import type { SettingsService } from '../config/settings-service';
import { correctLine, voidLine } from '../corrections/void-and-correct';
import { exportXlsx } from '../export/xlsx-export';
import { ingest } from '../ingest/ingest';
import type { Ledger } from '../ledger';
import type { PreferenceStore } from '../preferences/preferences-store';
import type { SyncService } from '../sync/types';
import { AppError, InputError, notFound } from './errors';

export type RpcHandlers = {
  [N in RpcName]: (input: RpcParsedInput<N>) => RpcOutputs[N] | Promise<RpcOutputs[N]>;
};

export interface HandlerDeps {
  ledger: Ledger;
  settings: SettingsService;
  apiKeys: ApiKeyService;
  sync: SyncService;
  info: () => AppInfo;
  preferences: PreferenceStore;
  /** Called after anything the grids show has changed. */
  changed: () => void;
}

/** The one table behind every UI action, whichever transport (IPC, HTTP) carries it. */
export function createHandlers(deps: HandlerDeps): RpcHandlers {
  const { ledger, settings, apiKeys, sync } = deps;
  return {
    'app.info': () => deps.info(),
    'lines.create': ({ line, instantIvSync }) => {
      const outcome = ingest(ledger, line, {
        source: 'form',
        createdBy: os.userInfo().username,
        instantIv: instantIvSync,
      });
      switch (outcome.kind) {
        case 'ok': {
          deps.changed();
          sync.linesAdded(instantIvSync);
          return outcome.results[0]!;
        }
        case 'invalid':
          throw new InputError('The line is not valid', outcome.errors);
        case 'conflict':
          throw new AppError('conflict', outcome.errors[0]!.message, outcome.errors);
        case 'disabled':
          throw new AppError('feature_disabled', outcome.message);
        case 'too_large':
          throw new AppError('invalid_input', outcome.message);
      }
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
    'lines.void': ({ lineRecordId, reason }) => {
      const line = voidLine(ledger, sync, lineRecordId, reason);
      deps.changed();
      return line;
    },
    'lines.correct': ({ lineRecordId }) => {
      const result = correctLine(ledger, lineRecordId);
      deps.changed();
      sync.linesAdded(false);
      return result;
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
      deps.changed();
      return result;
    },
    'aggregated.markDoNotSync': ({ aggregatedLineIds, reason }) => {
      const result = sync.markDoNotSync(aggregatedLineIds, reason);
      deps.changed();
      return result;
    },
    'suggestions.get': () => suggestions(ledger),
    'settings.get': () => settings.view(),
    'settings.update': (patch) => settings.update(patch),
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
    'apiKey.get': () => ({ apiKey: apiKeys.current(), source: apiKeys.source }),
    'apiKey.regenerate': () => ({ apiKey: apiKeys.regenerate(), source: apiKeys.source }),
    'sync.status': () => sync.status(),
    'sync.run': ({ job }) => sync.run(job),
    'sync.runs': ({ top }) => sync.runs(top),
    'sync.initialize': () => sync.initialize(),
    'export.xlsx': async (input) => ({
      fileName: input.kind === 'lines' ? 'adjustment-lines.xlsx' : 'aggregated-adjustment-lines.xlsx',
      base64: (await exportXlsx(ledger, input.kind, input.query)).toString('base64'),
    }),
    'preferences.get': () => deps.preferences.get(),
    'preferences.update': (patch) => deps.preferences.update(patch),
  };
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
