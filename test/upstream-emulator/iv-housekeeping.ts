// IV's partition housekeeping, as Microsoft's own IV API tests call it before and after each test
// file (microsoft/Inventory-Visibility-Add-in-Examples, ivtests/). The routes are public in those
// tests; their answers are not documented, so the shapes here are this emulator's (README).
import { type EmuRequest, ivError, parseJson, type Reply, reply } from './http';
import { guard } from './iv';
import type { EmulatorState } from './state';

/** GET {iv}/api/environment/{env}/allpartitionids: the partitions holding data. */
export function ivAllPartitionIds(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  return reply(200, s.iv.partitionIds());
}

/** DELETE {iv}/api/environment/{env}/partitions/cleanupalldata, body: a list of partition IDs. */
export function ivCleanupPartitions(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return ivError(400, parsed.error);
  const ids = parsed.value;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    return ivError(400, 'The body must be a JSON array of partition IDs (strings).');
  }
  return reply(200, s.iv.erase(ids));
}

/** DELETE {iv}/api/environment/{env}/cleanupalldata: every partition of the environment; the body is not read. */
export function ivCleanupAll(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  return reply(200, s.iv.erase(null));
}
