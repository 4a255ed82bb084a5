/**
 * npm run bench: every figure is printed beside a baseline measured in the same run,
 * with their ratio, because these machines are noisy.
 *   npm run bench [-- ingest sync catchup aggregation grid loop import foreground audit]
 */
import { benchAggregation } from './aggregation.bench';
import { benchAudit } from './audit.bench';
import { benchCatchUp } from './catchup.bench';
import { benchForeground } from './foreground.bench';
import { benchGrid } from './grid.bench';
import { benchImport } from './import.bench';
import { benchIngest } from './ingest.bench';
import { benchLoop } from './loop.bench';
import { benchSync } from './sync.bench';

const SUITES: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  sync: benchSync,
  aggregation: benchAggregation,
  catchup: benchCatchUp,
  grid: benchGrid,
  loop: benchLoop,
  import: benchImport,
  foreground: benchForeground,
  audit: benchAudit,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : Object.keys(SUITES);
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`Unknown benchmark '${name}'; known: ${Object.keys(SUITES).join(', ')}`);
    await suite();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
