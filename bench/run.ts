/**
 * `npm run bench`: every benchmark in turn, then one table (figure, value, target, result)
 * and the same rows in bench/results.json. `npm run bench -- size leaks` runs only those.
 * The exit code is 0 even when a target is missed: a benchmark reports, it does not gate.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { runFullPurchase } from './full-purchase.js';
import { runLeaks } from './leaks.js';
import { runLoad } from './load.js';
import { formatTable, na, verdict, type Figure } from './report.js';
import { runServerHelper } from './server-helper.js';
import { runSize } from './size.js';
import { runTimeToReady } from './time-to-ready.js';

const BENCHMARKS: Record<string, () => Promise<Figure[]>> = {
  size: runSize,
  'time-to-ready': runTimeToReady,
  leaks: runLeaks,
  'server-helper': runServerHelper,
  'full-purchase': runFullPurchase,
  load: runLoad,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
const figures: Figure[] = [];
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const benchStart = Date.now();
  console.log(`bench: ${name} ...`);
  try {
    figures.push(...(await run()));
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    figures.push(na(name, name, '-', `crashed: ${(error as Error).message.split('\n')[0]}`));
    console.error(error);
  }
  console.log(`bench: ${name} took ${((Date.now() - benchStart) / 1000).toFixed(1)} s`);
}

console.log(`\n${formatTable(figures)}\n`);
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  seconds: Math.round((Date.now() - started) / 1000),
  figures: figures.map((figure) => ({ ...figure, result: verdict(figure.pass, figure.value) })),
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`bench: wrote bench/results.json (${results.seconds} s)`);
