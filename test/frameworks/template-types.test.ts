/**
 * The template types, checked the way a merchant's project checks them: tsc on TSX fixtures
 * (the `ledyer-checkout/react` component, the bare tag in React, Preact and Solid) and vue-tsc on
 * a `.vue` fixture,
 * against the built package by its name. Each fixture marks its wrong usages with
 * `@ts-expect-error` / `@vue-expect-error`, so a type that let one through fails the compile.
 * The negative twins compile the same fixtures with those markers removed and expect an error
 * on exactly each marked line: the types refuse what they should, and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = `${root}test/frameworks/types/`;
// Inside the project, so `ledyer-checkout` resolves to it by name as it does for the fixtures.
const scratch = `${root}.tmp/template-types-${process.pid}/`;

function compile(compiler: 'tsc' | 'vue-tsc', directory: string): { status: number | null; errors: string[] } {
  const bin = compiler === 'tsc' ? 'node_modules/typescript/bin/tsc' : 'node_modules/vue-tsc/bin/vue-tsc.js';
  const result = spawnSync(process.execPath, [`${root}${bin}`, '-p', `${directory}tsconfig.json`, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  return { status: result.status, errors: `${result.stdout}${result.stderr}`.split('\n').filter((line) => / error TS\d+/.test(line)) };
}

/**
 * Copies a fixture (`file`, relative to the fixtures, e.g. `preact/preact-jsx.tsx`) and its
 * tsconfig chain into `directory`, with the marker lines removed; returns the lines (1-based,
 * in the copy) that followed a marker.
 */
function withoutMarkers(file: string, marker: RegExp, directory: string): number[] {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(`${directory}${dirname(file)}`, { recursive: true });
  cpSync(`${fixtures}tsconfig.json`, `${directory}tsconfig.json`);
  if (dirname(file) !== '.') cpSync(`${fixtures}${dirname(file)}/tsconfig.json`, `${directory}${dirname(file)}/tsconfig.json`);
  const kept: string[] = [];
  const marked: number[] = [];
  for (const line of readFileSync(`${fixtures}${file}`, 'utf8').split('\n')) {
    if (marker.test(line)) marked.push(kept.length + 1);
    else kept.push(line);
  }
  writeFileSync(`${directory}${file}`, kept.join('\n'));
  return marked;
}

const errorLines = (errors: string[], file: string): number[] =>
  [...new Set(errors.filter((line) => line.includes(basename(file))).map((line) => Number(/\((\d+),\d+\)/.exec(line)?.[1])))].sort((a, b) => a - b);

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('tsc: the TSX fixtures compile, and every wrong usage they mark is an error', () => {
  const { status, errors } = compile('tsc', fixtures);
  assert.deepEqual(errors, []);
  assert.equal(status, 0);
});

test('tsc: the Preact fixture compiles, and every wrong usage it marks is an error', () => {
  const { status, errors } = compile('tsc', `${fixtures}preact/`);
  assert.deepEqual(errors, []);
  assert.equal(status, 0);
});

test('tsc: the Solid fixture compiles, and every wrong usage it marks is an error', () => {
  const { status, errors } = compile('tsc', `${fixtures}solid/`);
  assert.deepEqual(errors, []);
  assert.equal(status, 0);
});

test('vue-tsc: the Vue fixture compiles, and every wrong usage it marks is an error', () => {
  const { status, errors } = compile('vue-tsc', fixtures);
  assert.deepEqual(errors, []);
  assert.equal(status, 0);
});

for (const file of ['react-component.tsx', 'react-jsx.tsx', 'preact/preact-jsx.tsx', 'solid/solid-jsx.tsx']) {
  test(`negative twin: ${file} without its @ts-expect-error markers fails on exactly the marked lines`, () => {
    const directory = `${scratch}${basename(file)}/`;
    const marked = withoutMarkers(file, /^\s*\/\/ @ts-expect-error/, directory);
    assert.ok(marked.length >= 5, 'the fixture marks its wrong usages');
    const { status, errors } = compile('tsc', `${directory}${dirname(file)}/`);
    assert.notEqual(status, 0);
    assert.deepEqual(errorLines(errors, file), marked, errors.join('\n'));
  });
}

test('negative twin: Checkout.vue without its @vue-expect-error markers fails on exactly the marked lines', () => {
  const directory = `${scratch}vue/`;
  const marked = withoutMarkers('Checkout.vue', /<!-- @vue-expect-error/, directory);
  assert.ok(marked.length >= 5, 'the fixture marks its wrong usages');
  const { status, errors } = compile('vue-tsc', directory);
  assert.notEqual(status, 0);
  assert.deepEqual(errorLines(errors, 'Checkout.vue'), marked, errors.join('\n'));
});

test('negative twin: without ledyer-checkout/react the bare tag is unknown to TSX (the README\'s old failure)', () => {
  const directory = `${scratch}no-import/`;
  withoutMarkers('react-jsx.tsx', /^import type \{\} from 'ledyer-checkout\/react';$/, directory);
  const { errors } = compile('tsc', directory);
  assert.ok(errors.some((line) => /'ledyer-checkout' does not exist on type 'JSX\.IntrinsicElements'/.test(line)), errors.join('\n'));
});
