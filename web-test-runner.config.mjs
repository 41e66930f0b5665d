// Browser tests run in the system's real Chromium (no browser downloads here).
import { writeFileSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium, chromiumArgs } from './scripts/find-chromium.mjs';
import { sandboxPlugin } from './test/element/sandbox-plugin.mjs';

/** Writes `{ passed, failed }` for test/run-all.mjs, which prints the grand total. */
/**
 * @typedef {{ tests?: Array<{ passed: boolean, skipped: boolean }>, suites?: TestSuite[] }} TestSuite
 * @param {string | undefined} file
 * @returns {import('@web/test-runner').Reporter}
 */
function countingReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      /** @param {TestSuite | undefined} suite */
      const visit = (suite) => {
        for (const test of suite?.tests ?? []) {
          if (test.skipped) continue;
          if (test.passed) passed += 1;
          else failed += 1;
        }
        for (const child of suite?.suites ?? []) visit(child);
      };
      for (const session of sessions) {
        visit(session.testResults);
        // A file that failed to load runs no test; count it as one failure so it is seen.
        if (!session.passed && (session.errors?.length ?? 0) > 0) failed += 1;
      }
      if (file) writeFileSync(file, JSON.stringify({ passed, failed }));
    },
  };
}

export default {
  files: ['test/element/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 15000 } },
  testsFinishTimeout: 10 * 60 * 1000,
  browserStartTimeout: 60000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), sandboxPlugin()],
  browsers: [
    chromeLauncher({
      // No host but the loopback ones resolves: a test that points the element at Ledyer's
      // or another https host sees a failed load, and nothing leaves the machine.
      launchOptions: { executablePath: findChromium(), headless: true, args: [...chromiumArgs, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'] },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countingReporter(process.env.WTR_COUNT_FILE)],
};
