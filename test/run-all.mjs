// `npm test`: typecheck, node:test suites, browser suites (web-test-runner in Chromium)
// and end-to-end suites (playwright-core), then one closing line with the grand total:
// `N passed, N failed`. Each stage runs even when an earlier one failed, so one run
// shows every failure; the exit code is non-zero when anything failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../scripts/find-chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ledyer-test-'));
const totals = { passed: 0, failed: 0 };
const only = process.argv.slice(2); // e.g. `npm test -- node browser`

/** @param {string} command @param {string[]} args @param {Record<string, string>} [env] @returns {Promise<number>} */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

/** @param {string} dir @param {string} suffix @returns {string[]} */
function testFiles(dir, suffix) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** node:test prints `# pass N` and `# fail N` at the end of its TAP stream. */
/** @param {string} file @returns {{ passed: number, failed: number }} */
function tapCounts(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  /** @param {string} name */
  const grab = (name) => Number([...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  return { passed: grab('pass'), failed: grab('fail') + grab('cancelled') };
}

/** @param {string} name @param {string[]} files @param {Record<string, string>} [env] */
async function nodeSuite(name, files, env = {}) {
  if (files.length === 0) return;
  const tap = join(scratch, `${name}.tap`);
  const code = await run(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], env);
  const counts = tapCounts(tap);
  // A crash before any test ran still has to show up as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  record(name, counts);
}

/** @param {string} name @param {{ passed: number, failed: number }} counts */
function record(name, { passed, failed }) {
  totals.passed += passed;
  totals.failed += failed;
  console.log(`\n[${name}] ${passed} passed, ${failed} failed\n`);
}

/** @type {Record<string, () => Promise<void>>} */
const stages = {
  async typecheck() {
    const code = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
    record('typecheck', code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  },
  async node() {
    // test/testing: the testing kit; its `.e2e.test.ts` files need Chromium and run in the e2e stage.
    const kit = testFiles('test/testing', '.test.ts').filter((file) => !file.endsWith('.e2e.test.ts'));
    await nodeSuite('node', [...testFiles('test/shared', '.test.ts'), ...testFiles('test/bench', '.test.ts'), ...testFiles('test/server', '.test.ts'), ...testFiles('test/sandbox', '.test.ts'), ...kit]);
  },
  async browser() {
    if (testFiles('test/element', '.test.ts').length === 0) return;
    const countFile = join(scratch, 'wtr.json');
    const code = await run(process.execPath, ['--import', 'tsx', join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs'], {
      WTR_COUNT_FILE: countFile,
    });
    const counts = existsSync(countFile) ? JSON.parse(readFileSync(countFile, 'utf8')) : { passed: 0, failed: 0 };
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    record('browser', counts);
  },
  async e2e() {
    // test/frameworks: the package in React (SSR), Vue and type-checked templates, and as a packed tarball.
    // test/testing: the testing kit in Chromium, and packed into a merchant's project with @playwright/test.
    await nodeSuite('e2e', [...testFiles('test/e2e', '.test.ts'), ...testFiles('test/frameworks', '.test.ts'), ...testFiles('test/testing', '.e2e.test.ts')]);
  },
};

try {
  process.env.CHROME_PATH = findChromium();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  delete stages.browser;
  delete stages.e2e;
  totals.failed += 1;
}

for (const [name, stage] of Object.entries(stages)) {
  if (only.length > 0 && !only.includes(name)) continue;
  await stage();
}
rmSync(scratch, { recursive: true, force: true });
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
