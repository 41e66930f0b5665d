/**
 * The element's browser code as the benchmarks serve and weigh it. The shipped file is
 * `dist/ledyer-checkout.js` from `scripts/build-element.mjs`; until that script exists we
 * bundle `src/index.ts` the same way (minified ESM, Lit inside) so the figures still mean
 * the same thing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = `${ROOT}src/index.ts`;
const BUILD_SCRIPT = `${ROOT}scripts/build-element.mjs`;
const DIST_BUNDLE = `${ROOT}dist/ledyer-checkout.js`;

export interface Bundle {
  code: string;
  /** Where `code` came from, for the table. */
  source: string;
  metafile: Metafile | null;
}

export function elementSourceMissing(): string | null {
  return existsSync(ENTRY) ? null : 'src/index.ts not there yet';
}

/** Minified ESM of `src/index.ts`; with `litExternal`, the element's own code only. */
export async function bundleEntry(litExternal: boolean): Promise<Bundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    metafile: true,
    legalComments: 'none',
    external: litExternal ? ['lit', 'lit/*', '@lit/*'] : [],
    // What a merchant's production build does: dev-only code (warnings, Lit's dev mode) goes.
    define: { 'process.env.NODE_ENV': '"production"' },
    conditions: ['production'],
    outfile: 'out.js',
    logLevel: 'silent',
  });
  const output = result.outputFiles.find((file) => file.path.endsWith('.js'));
  if (!output) throw new Error('esbuild produced no JavaScript');
  return { code: output.text, source: litExternal ? 'esbuild src/index.ts, Lit external' : 'esbuild src/index.ts', metafile: result.metafile };
}

let standalone: Promise<Bundle> | undefined;

/** The standalone bundle, built once per bench run. */
export function standaloneBundle(): Promise<Bundle> {
  standalone ??= (async () => {
    if (existsSync(BUILD_SCRIPT)) {
      const run = spawnSync(process.execPath, [BUILD_SCRIPT], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      if (run.status === 0 && existsSync(DIST_BUNDLE)) {
        return { code: readFileSync(DIST_BUNDLE, 'utf8'), source: 'dist/ledyer-checkout.js (scripts/build-element.mjs)', metafile: null };
      }
      console.error(`bench: scripts/build-element.mjs failed (${run.status}); bundling src/index.ts instead\n${run.stderr}`);
    }
    return bundleEntry(false);
  })();
  return standalone;
}

/** The biggest inputs of a bundle, minified bytes each. */
export function topContributors(metafile: Metafile, count = 8): Array<{ input: string; bytes: number }> {
  const output = Object.values(metafile.outputs)[0];
  if (!output) return [];
  return Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
