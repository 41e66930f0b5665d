/** Figure 1: what a storefront downloads, gzip -9, the way a CDN would serve it. */
import { gzipSync } from 'node:zlib';
import { bundleEntry, elementSourceMissing, standaloneBundle, topContributors, type Bundle } from './bundle.js';
import { na, type Figure } from './report.js';
import { round } from './stats.js';

const STANDALONE_LIMIT_KB = 8.0;
const OWN_CODE_LIMIT_KB = 2.5;

const gzipKb = (code: string): number => gzipSync(Buffer.from(code), { level: 9 }).length / 1024;

async function contributors(bundle: Bundle, litExternal: boolean): Promise<string> {
  const metafile = bundle.metafile ?? (await bundleEntry(litExternal)).metafile;
  if (!metafile) return '';
  return topContributors(metafile)
    .map(({ input, bytes }) => `    ${String(bytes).padStart(7)} B  ${input}`)
    .join('\n');
}

export async function runSize(): Promise<Figure[]> {
  const missing = elementSourceMissing();
  if (missing) {
    return [
      na('size', 'standalone bundle, gzip -9', `≤ ${STANDALONE_LIMIT_KB} KB`, missing),
      na('size', 'element code (Lit external), gzip -9', `≤ ${OWN_CODE_LIMIT_KB} KB`, missing),
    ];
  }
  const figures: Figure[] = [];
  for (const [label, limit, litExternal] of [
    ['standalone bundle, gzip -9', STANDALONE_LIMIT_KB, false],
    ['element code (Lit external), gzip -9', OWN_CODE_LIMIT_KB, true],
  ] as const) {
    const bundle = litExternal ? await bundleEntry(true) : await standaloneBundle();
    const kb = gzipKb(bundle.code);
    const pass = kb <= limit;
    figures.push({
      bench: 'size',
      figure: label,
      value: `${round(kb, 2).toFixed(2)} KB`,
      target: `≤ ${limit.toFixed(1)} KB`,
      pass,
      data: { gzipBytes: Math.round(kb * 1024), minifiedBytes: Buffer.byteLength(bundle.code), source: bundle.source },
    });
    console.log(`size: ${label}: ${figures.at(-1)?.value}${pass ? '' : ', over'}; top contributors (minified bytes):\n${await contributors(bundle, litExternal)}`);
  }
  return figures;
}
