// Test-facing admin: the in-process object and the same operations over HTTP under /admin.
import { z } from 'zod';
import { DataProjectError, parseDataProject } from './data-project';
import { faultRuleSchema } from './faults';
import { type EmuRequest, parseJson, type Reply, reply } from './http';
import type { EmulatorState } from './state';
import type { DataProject, EmulatorAdmin } from './types';

export class AdminInputError extends Error {}

const id = z.string().trim().min(1);
const itemSchema = z.strictObject({ organizationId: id, itemNumber: id, name: z.string().optional() });
const warehouseSchema = z.strictObject({ organizationId: id, siteId: id, locationId: id });
const journalNameSchema = z.strictObject({
  organizationId: id,
  journalNameId: id,
  default: z.boolean().optional(),
  deleteLinesAfterPosting: z.boolean().optional(),
});
const onHandSchema = z.strictObject({
  organizationId: id,
  itemNumber: id,
  dimensions: z.record(z.string(), z.string()),
  quantity: z.number(),
});
const delay = z.number().int().min(0).max(3_600_000);
export const offsetPairSchema = z.strictObject({ dataSource: id, measure: id });
const settingsSchema = z.strictObject({
  importDelayMs: delay.optional(),
  postingDelayMs: delay.optional(),
  postingJobEnabled: z.boolean().optional(),
  ivTokenRedirect: z.boolean().optional(),
  jobStateAsNumber: z.boolean().optional(),
  jobStatusShape: z.enum(['ris', 'noState', 'unknownState']).optional(),
  dataManagementReadable: z.boolean().optional(),
  maxQueryStringLength: z.number().int().min(256).max(100_000).nullable().optional(),
  journalNamesEntitySet: z.string().min(1).max(128).nullable().optional(),
  executionErrorsShape: z.enum(['records', 'malformedRecords', 'messages']).optional(),
  duplicateTransactionId: z.enum(['refuse', 'upsert']).optional(),
  unknownMessageAnswer: z
    .enum(['namedNotFound', 'genericNotFound', 'noState', 'badRequest', 'serverError'])
    .optional(),
  odataPageSize: z.number().int().min(1).max(10_000).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  ivAnswerShape: z
    .enum(['successFailure', 'failureWithoutIds', 'perItem', 'sixLists', 'perEvent', 'bodyStatus', 'bare'])
    .optional(),
  dimensionDataSources: z.array(id).optional(),
  offsetPairs: z.array(offsetPairSchema).optional(),
  offsetLagMs: delay.optional(),
});

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(body)';
  throw new AdminInputError(`${where}: ${issue?.message ?? 'invalid'}`);
}

export function createAdmin(s: EmulatorState): EmulatorAdmin {
  return {
    setFault: (rule) => {
      s.faults.set(check(faultRuleSchema, rule));
    },
    clearFaults: () => s.faults.clear(),
    faults: () => s.faults.list(),
    settings: () => structuredClone(s.settings),
    updateSettings: (patch) => {
      const valid = check(settingsSchema, patch);
      for (const [key, value] of Object.entries(valid)) {
        if (value !== undefined) Object.assign(s.settings, { [key]: value });
      }
      if (valid.postingDelayMs !== undefined || valid.postingJobEnabled !== undefined) {
        s.scm.posting.reschedule();
        s.scm.releaseIfIdle();
      }
      return structuredClone(s.settings);
    },
    dataProject: () => structuredClone(s.dataProject),
    setDataProject: (project) => {
      try {
        s.dataProject = parseDataProject(project);
      } catch (err) {
        if (err instanceof DataProjectError) throw new AdminInputError(err.message);
        throw err;
      }
      return structuredClone(s.dataProject);
    },
    runPostingJob: () => s.scm.posting.run(),
    reset: () => s.reset(),
    addItem: (item) => {
      const v = check(itemSchema, item);
      s.catalog.addItem(v.organizationId, v.itemNumber, { name: v.name });
    },
    addWarehouse: (warehouse) => {
      const v = check(warehouseSchema, warehouse);
      s.catalog.addWarehouse(v.organizationId, v.siteId, v.locationId);
    },
    addJournalName: (name) => {
      const v = check(journalNameSchema, name);
      s.catalog.addJournalName(
        v.organizationId,
        v.journalNameId,
        v.default,
        undefined,
        v.deleteLinesAfterPosting,
      );
    },
    addOnHand: (row) => {
      const v = check(onHandSchema, row);
      try {
        s.addOnHand(v.organizationId, v.itemNumber, v.dimensions, v.quantity);
      } catch (err) {
        throw new AdminInputError((err as Error).message);
      }
    },
    expireTokens: () => s.tokens.expireAll(),
    counters: () => ({ ...s.counters }),
    events: () => s.iv.events(),
    journals: () => s.scm.journalList(),
    messages: () => s.scm.messageList(),
    onHand: (filter) => s.iv.rows(filter),
    idle: () => s.scm.idle(),
  };
}

/** Routes /admin/...; no auth, no faults. */
export async function handleAdmin(admin: EmulatorAdmin, req: EmuRequest, path: string): Promise<Reply> {
  const body = (): unknown => {
    if (req.body.length === 0) return {};
    const parsed = parseJson(req.body);
    if (!parsed.ok) throw new AdminInputError(parsed.error);
    return parsed.value;
  };
  const route = `${req.method} ${path}`;
  try {
    switch (route) {
      case 'GET /admin/counters':
        return reply(200, admin.counters());
      case 'GET /admin/events':
        return reply(200, admin.events());
      case 'GET /admin/journals':
        return reply(200, admin.journals());
      case 'GET /admin/messages':
        return reply(200, admin.messages());
      case 'GET /admin/onhand': {
        const q = req.url.searchParams;
        return reply(
          200,
          admin.onHand({
            organizationId: q.get('organizationId') || undefined,
            productId: q.get('productId') || undefined,
          }),
        );
      }
      case 'GET /admin/faults':
        return reply(200, admin.faults());
      case 'POST /admin/faults':
        admin.setFault(check(faultRuleSchema, body()));
        return reply(200, admin.faults());
      case 'DELETE /admin/faults':
        admin.clearFaults();
        return reply(200, []);
      case 'GET /admin/settings':
        return reply(200, admin.settings());
      case 'POST /admin/settings':
        return reply(200, admin.updateSettings(check(settingsSchema, body())));
      case 'GET /admin/data-project':
        return reply(200, admin.dataProject());
      case 'POST /admin/data-project':
        return reply(200, admin.setDataProject(body() as DataProject));
      case 'POST /admin/posting/run':
        return reply(200, admin.runPostingJob());
      case 'POST /admin/reset':
        admin.reset();
        return reply(200, { ok: true });
      case 'POST /admin/catalog/items':
        admin.addItem(check(itemSchema, body()));
        return reply(200, { ok: true });
      case 'POST /admin/catalog/warehouses':
        admin.addWarehouse(check(warehouseSchema, body()));
        return reply(200, { ok: true });
      case 'POST /admin/catalog/journalNames':
        admin.addJournalName(check(journalNameSchema, body()));
        return reply(200, { ok: true });
      case 'POST /admin/onhand':
        admin.addOnHand(check(onHandSchema, body()));
        return reply(200, { ok: true });
      case 'POST /admin/tokens/expire':
        admin.expireTokens();
        return reply(200, { ok: true });
      case 'POST /admin/idle':
        await admin.idle();
        return reply(200, { ok: true });
      default:
        return reply(404, { error: `No admin route ${route}.` });
    }
  } catch (err) {
    if (err instanceof AdminInputError) return reply(400, { error: err.message });
    throw err;
  }
}
