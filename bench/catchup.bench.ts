import fs from 'node:fs';
import { provisioningConfig, startEmulator } from '../test/upstream-emulator';
import { fmt, report, startEmulatedServer, tempDir } from './harness';

const TOTAL = 100_000;
const LATENCY_MS = 150;
const IN_FLIGHT = 4;
const API_KEY = 'bench-catchup-key-0123456789';

/**
 * A week's backlog after an outage: 100,000 Created lines sent to IV by one "Sync now", with
 * the emulator answering each call after 150 ms, as a cloud round trip would. Baseline: the
 * protocol's own bound, ⌈N / 512⌉ calls × latency ÷ calls in flight.
 */
export async function benchCatchUp(): Promise<void> {
  console.log(
    `\n# IV catch-up: ${fmt(TOTAL)} lines, ${LATENCY_MS} ms per call, ${IN_FLIGHT} calls in flight`,
  );
  const emulator = await startEmulator({ importDelayMs: 50, postingDelayMs: 50 });
  const dir = tempDir();
  try {
    const { server, api, headers } = await startEmulatedServer(
      emulator,
      provisioningConfig(emulator),
      dir,
      API_KEY,
      {
        upstreamCallsInFlight: IN_FLIGHT,
      },
    );
    try {
      for (let i = 0; i < TOTAL; i += 1000) {
        const body = JSON.stringify(
          Array.from({ length: 1000 }, (_, j) => ({
            id: `catchup-${i + j}`,
            organizationId: 'usmf',
            productId: 'D0001',
            quantityDataSource: '@iv',
            physicalMeasure: 'adjustment',
            quantity: 1,
            dimensions: { siteId: '1', locationId: '13' },
          })),
        );
        const res = await fetch(`${api}/adjustment/bulk`, { method: 'POST', headers, body });
        if (res.status !== 200) throw new Error(`bulk answered ${res.status}`);
        await res.arrayBuffer();
      }
      emulator.admin.updateSettings({ latencyMs: LATENCY_MS });
      const start = performance.now();
      await (await fetch(`${api}/sync?job=iv`, { method: 'POST', headers })).arrayBuffer();
      const seconds = (performance.now() - start) / 1000;
      const accepted = emulator.admin.counters().ivEventsAccepted;
      if (accepted !== TOTAL) throw new Error(`IV accepted ${accepted} of ${TOTAL} events`);
      const bound = (Math.ceil(TOTAL / 512) * LATENCY_MS) / IN_FLIGHT / 1000;
      console.log(`(${fmt(emulator.admin.counters().ivBulkCalls)} calls; protocol bound ${fmt(bound, 2)} s)`);
      report('IV catch-up (s)', seconds, 's', bound, `⌈N/512⌉ × ${LATENCY_MS} ms ÷ ${IN_FLIGHT}`, '≤ 1.5');
    } finally {
      await server.stop();
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
