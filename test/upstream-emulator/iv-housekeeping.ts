// IV's partition housekeeping and configuration update, as Microsoft's own IV API tests call them
// before and after each test file (microsoft/Inventory-Visibility-Add-in-Examples, ivtests/). The
// routes are public in those tests; their answers are not documented, so the shapes here are this
// emulator's (test/upstream-emulator/README.md).
import { type EmuRequest, getCI, isRecord, ivError, parseJson, type Reply, reply } from './http';
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

/**
 * Whether a configuration asks for IV's partition by product (a preview: `partitionConfiguration.
 * useDimensions` false, or `cachePartitionIdVersion` "ByProductId"); names bind without regard to case.
 */
function partitionsByProduct(config: Record<string, unknown>): boolean {
  const partition = getCI(config, 'partitionConfiguration');
  if (isRecord(partition) && getCI(partition, 'useDimensions') === false) return true;
  const version = getCI(config, 'cachePartitionIdVersion');
  return typeof version === 'string' && version.toLowerCase() === 'byproductid';
}

/**
 * POST {iv}/api/environment/{env}/configuration/hardupdate: acknowledged (200, the configuration
 * echoed) while it keeps IV's default partition by location, the only one modelled; nothing else
 * in it changes the emulator (data sources and dimension mappings are `dimensionDataSources`).
 * A partition by product is answered 501: the emulator does not model it.
 */
export function ivHardUpdate(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return ivError(400, parsed.error);
  const config = parsed.value;
  if (!isRecord(config)) return ivError(400, 'The body must be a configuration (a JSON object).');
  if (partitionsByProduct(config)) {
    return ivError(
      501,
      "Partition by product is not modelled by this emulator: it keeps IV's default partition by location (organization, site, warehouse).",
    );
  }
  return reply(200, config);
}
