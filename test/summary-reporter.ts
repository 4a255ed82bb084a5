import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain `N passed, N failed` line that CI reads. A file that fails
 * outside its tests (a hook, an import) leaves its tests unrun: they count as failed, never
 * as skipped, so a broken suite cannot look green here.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      const states = tests.map((t) => t.result().state);
      // Failed with no failed test: a hook or an import failed and left its tests unrun.
      const failedOutside = module.state() === 'failed' && !states.includes('failed');
      for (const state of states) {
        if (state === 'passed') counts.passed++;
        else if (state === 'failed' || failedOutside) counts.failed++;
        else counts.skipped++;
      }
      if (failedOutside && tests.length === 0) counts.failed++;
    }
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
    console.log(`\n${counts.passed} passed, ${counts.failed} failed${skipped}`);
  }
}
