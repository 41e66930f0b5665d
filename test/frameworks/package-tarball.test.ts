/**
 * The package as a merchant gets it: `npm pack`, then `npm install` of the `.tgz` into a fresh
 * app outside the project (from npm's cache where it can, else the registry: lit, zod, react).
 * Every export resolves there; the Node-safe ones import, the React component renders on the
 * server; source maps resolve; the manifest and the editors' data are the cleaned ones; and
 * `@arethetypeswrong/cli --profile esm-only` and `publint --strict` are clean, while both
 * fail a copy whose exports point at a missing file (the negative twin).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ledyer-tarball-'));
const app = join(scratch, 'app');
const installed = join(app, 'node_modules', 'ledyer-checkout');
let tarball = '';

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 240_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const npm = (args: string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const version = (name: string): string => (JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;

/** An ES module snippet run by plain Node in the app. */
function inApp(source: string) {
  return run(process.execPath, ['--input-type=module', '-e', source], app);
}

before(() => {
  const build = run(process.execPath, ['scripts/build.mjs'], root);
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const packed = npm(['pack', '--pack-destination', scratch, '--silent'], root);
  assert.equal(packed.status, 0, packed.stderr);
  tarball = join(scratch, packed.stdout.trim().split('\n').at(-1)!);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'merchant-app', private: true, type: 'module' }));
  // The same React the project tests with, so npm's cache has it.
  const install = npm(['install', '--prefer-offline', '--ignore-scripts', tarball, `react@${version('react')}`, `react-dom@${version('react-dom')}`], app);
  assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stderr}`);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

const exportsOf = (): Record<string, unknown> => (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;

test('the tarball ships the built package, its sources, the manifest and LICENSE, and no tests', () => {
  const listing = run('tar', ['-tzf', tarball], scratch).stdout.split('\n');
  for (const file of ['package/LICENSE', 'package/README.md', 'package/custom-elements.json', 'package/dist/ledyer-checkout.js', 'package/dist/react/index.js', 'package/dist/web-types.json', 'package/src/element/ledyer-checkout.ts']) {
    assert.ok(listing.includes(file), `${file} is in the tarball`);
  }
  assert.deepEqual(listing.filter((file) => /^package\/(test|demo|bench|scripts)\//.test(file)), []);
  assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
});

test('every export resolves to a file in the installed package', () => {
  const specifiers = Object.keys(exportsOf()).map((key) => `ledyer-checkout${key.slice(1)}`);
  assert.ok(specifiers.length >= 11);
  const result = inApp(`
    const { existsSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((specifier) => {
      try { return [specifier, existsSync(fileURLToPath(import.meta.resolve(specifier)))]; } catch (error) { return [specifier, error.code]; }
    })));
  `);
  assert.equal(result.status, 0, result.stderr);
  for (const [specifier, found] of JSON.parse(result.stdout) as Array<[string, boolean | string]>) assert.equal(found, true, specifier);
});

test('the Node-safe entries import in plain Node, and ledyer-checkout/react renders the host on the server', () => {
  const result = inApp(`
    const root = await import('ledyer-checkout');
    const element = await import('ledyer-checkout/element');
    await import('ledyer-checkout/vue');
    const { createLedyerClient } = await import('ledyer-checkout/server');
    const { startSandbox } = await import('ledyer-checkout/sandbox');
    const { LedyerCheckout } = await import('ledyer-checkout/react');
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    console.log(JSON.stringify([typeof root.LedyerCheckout, typeof root.setLedyerCheckoutStrings, typeof element.LedyerCheckout.define, typeof createLedyerClient, typeof startSandbox]));
    console.log(renderToString(createElement(LedyerCheckout, { sessionId: 'cs_x', environment: 'production', className: 'pay' })));
  `);
  assert.equal(result.status, 0, result.stderr);
  const [types, html] = result.stdout.trim().split('\n');
  assert.deepEqual(JSON.parse(types!), ['function', 'function', 'function', 'function', 'function']);
  assert.equal(html, '<ledyer-checkout class="pay" environment="production"></ledyer-checkout>');
});

test('a path the package does not export is refused in the app', () => {
  const result = inApp(`await import('ledyer-checkout/dist/server/client.js')`);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});

test('every source map in the package resolves: each source is shipped or inlined', () => {
  const maps = (readdirSync(join(installed, 'dist'), { recursive: true }) as string[]).filter((file) => file.endsWith('.map'));
  assert.ok(maps.length > 10);
  const missing: string[] = [];
  for (const map of maps) {
    const file = join(installed, 'dist', map);
    const { sources, sourcesContent } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
    sources.forEach((source, index) => {
      if (typeof sourcesContent?.[index] === 'string') return;
      if (!existsSync(resolve(dirname(file), source))) missing.push(`${map}: ${source}`);
    });
  }
  assert.deepEqual(missing, []);
});

test('custom-elements.json: no private members, paths of shipped files, value unions', () => {
  const manifest = JSON.parse(readFileSync(join(installed, 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ path: string; exports?: Array<{ declaration: { module?: string } }>; declarations: Array<{ tagName?: string; members?: Array<{ name: string; privacy?: string }>; attributes?: Array<{ name: string; type?: { text: string } }> }> }>;
  };
  const element = manifest.modules.flatMap((module) => module.declarations).find((declaration) => declaration.tagName === 'ledyer-checkout');
  assert.ok(element, 'the tag is described');
  assert.deepEqual(element.members!.filter((member) => member.name.startsWith('#') || member.privacy === 'private').map((member) => member.name), []);
  for (const module of manifest.modules) {
    assert.ok(existsSync(join(installed, module.path)), `${module.path} is shipped`);
    for (const exported of module.exports ?? []) if (exported.declaration.module) assert.ok(existsSync(join(installed, exported.declaration.module)), exported.declaration.module);
  }
  const type = (name: string) => element.attributes!.find((attribute) => attribute.name === name)?.type?.text;
  assert.equal(type('environment'), "'sandbox' | 'production'");
  assert.equal(type('validation-timeout-action'), "'deny' | 'proceed'");
});

test('VS Code custom data and web-types describe the tag, its values and its events', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { 'web-types': string; customElements: string; unpkg: string; jsdelivr: string };
  assert.ok(existsSync(join(installed, pkg['web-types'])));
  assert.ok(existsSync(join(installed, pkg.customElements)));
  assert.equal(pkg.unpkg, './dist/ledyer-checkout.js');
  assert.equal(pkg.jsdelivr, pkg.unpkg);
  const vscode = JSON.parse(readFileSync(join(installed, 'dist/vscode.html-custom-data.json'), 'utf8')) as { tags: Array<{ name: string; attributes: Array<{ name: string; values?: Array<{ name: string }>; valueSet?: string }> }> };
  const tag = vscode.tags.find((candidate) => candidate.name === 'ledyer-checkout');
  assert.deepEqual(tag?.attributes.find((attribute) => attribute.name === 'environment')?.values, [{ name: 'sandbox' }, { name: 'production' }]);
  assert.equal(tag?.attributes.find((attribute) => attribute.name === 'no-padding')?.valueSet, 'v');
  const webTypes = JSON.parse(readFileSync(join(installed, pkg['web-types']), 'utf8')) as { contributions: { html: { elements: Array<{ name: string; events: Array<{ name: string }>; attributes: Array<{ name: string }> }> } } };
  const described = webTypes.contributions.html.elements.find((candidate) => candidate.name === 'ledyer-checkout');
  assert.ok(described?.events.some((event) => event.name === 'ledyer-confirmation'));
  assert.ok(described?.attributes.some((attribute) => attribute.name === 'session-id'));
});

const attw = (target: string) => run(process.execPath, [`${root}node_modules/@arethetypeswrong/cli/dist/index.js`, target, '--profile', 'esm-only', '--format', 'ascii'], scratch);
const publint = (directory: string) => run(process.execPath, [`${root}node_modules/publint/src/cli.js`, directory, '--strict'], directory);

test('@arethetypeswrong/cli --profile esm-only finds no problem in the tarball', () => {
  const result = attw(tarball);
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
});

test('publint --strict finds no problem in the package', () => {
  const result = publint(root);
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /All good/);
});

test('negative twin: an export whose types are missing fails both attw and publint', () => {
  const broken = join(scratch, 'broken');
  mkdirSync(broken);
  assert.equal(run('tar', ['-xzf', tarball, '-C', broken, '--strip-components=1'], scratch).status, 0);
  rmSync(join(broken, 'dist/react/index.d.ts'));
  const repacked = npm(['pack', '--pack-destination', scratch, '--silent', '--ignore-scripts'], broken);
  assert.equal(repacked.status, 0, repacked.stderr);
  const brokenTarball = join(scratch, `broken-${Date.now()}.tgz`);
  assert.equal(run('mv', [join(scratch, repacked.stdout.trim().split('\n').at(-1)!), brokenTarball], scratch).status, 0);
  const types = attw(brokenTarball);
  assert.notEqual(types.status, 0, 'attw fails');
  assert.match(`${types.stdout}${types.stderr}`, /ledyer-checkout\/react/);
  const lint = publint(broken);
  assert.notEqual(lint.status, 0, 'publint fails');
  assert.match(`${lint.stdout}${lint.stderr}`, /dist\/react\/index\.d\.ts/);
});
