/**
 * DESIGN.md, "Conventions": after `npm run build` the package works in plain Node 20 from
 * the project root — the exports map points at built JavaScript with `.d.ts` beside it.
 * These tests build once and then use the package by its name, as an installed copy would.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (path: string) => `${root}dist/${path}`;

/** Runs an ES module snippet in plain Node (no tsx) from the project root. */
function nodeEval(source: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
});

test('every exports entry points at built JavaScript with its .d.ts beside it', () => {
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { types: string; default: string } | string> };
  for (const [entry, target] of Object.entries(manifest.exports)) {
    if (typeof target === 'string') continue;
    assert.ok(existsSync(`${root}${target.default}`), `${entry}: ${target.default} is missing`);
    assert.ok(existsSync(`${root}${target.types}`), `${entry}: ${target.types} is missing`);
  }
});

test("import('ledyer-checkout/server') and '/server/node' work in plain Node; the Node adapter is only in the latter", () => {
  const result = nodeEval(`
    const server = await import('ledyer-checkout/server');
    const node = await import('ledyer-checkout/server/node');
    const names = ['createLedyerClient', 'buildOrder', 'createCheckoutHandler', 'createValidateHandler', 'createNotificationHandler', 'createSessionRequestSchema', 'LedyerApiError', 'LedyerValidationError'];
    console.log(JSON.stringify({
      missing: names.filter((name) => typeof server[name] === 'undefined'),
      adapter: typeof node.toNodeListener,
      adapterInFetchEntry: typeof server.toNodeListener,
    }));
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { missing: [], adapter: 'function', adapterInFetchEntry: 'undefined' });
});

test("a name the package does not export is not there (the map is not a wildcard)", () => {
  const result = nodeEval(`await import('ledyer-checkout/dist/server/client.js')`);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test("import('ledyer-checkout/sandbox') starts a sandbox that serves bootstrap.js", () => {
  const result = nodeEval(`
    const { startSandbox } = await import('ledyer-checkout/sandbox');
    const sandbox = await startSandbox({ port: 0 });
    const response = await fetch(sandbox.url + '/bootstrap.js');
    console.log(response.status, response.headers.get('content-type'));
    await sandbox.close();
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^200 .*javascript/);
});

test('importing the package root and the element class in Node (SSR) does not throw', () => {
  const result = nodeEval(`
    const root = await import('ledyer-checkout');
    const element = await import('ledyer-checkout/element');
    console.log(typeof root.LedyerCheckout, typeof element.LedyerCheckout);
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'function function');
});

test('npx ledyer-sandbox prints its URL and credentials, and a bad port is refused', async () => {
  const child = spawn(process.execPath, [dist('sandbox/cli.js'), '--port', '0'], { cwd: root });
  try {
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed; got: ${text}`)), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (/clientSecret|secret/i.test(text) && /http:\/\/127\.0\.0\.1:\d+/.test(text)) {
          clearTimeout(timer);
          resolve(text);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
    });
    assert.match(output, /http:\/\/127\.0\.0\.1:\d+/);
  } finally {
    child.kill();
  }
  const bad = spawnSync(process.execPath, [dist('sandbox/cli.js'), '--port', 'eighty'], { cwd: root, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /port/i);
});

test('the standalone bundle carries neither zod nor a Node module', () => {
  const bundle = readFileSync(dist('ledyer-checkout.js'), 'utf8');
  assert.ok(bundle.includes('ledyer-checkout'), 'the bundle defines the element');
  assert.doesNotMatch(bundle, /from\s*["']node:|require\(["']node:|\bzod\b/);
  assert.ok(gzipSync(bundle, { level: 9 }).length > 1000, 'the bundle is not empty');
});
