// The element's browser artefacts: `dist/ledyer-checkout.js` (standalone ESM for a
// `<script type="module">` tag, Lit's ReactiveElement bundled, minified), `custom-elements.json`
// at the project root, and the editors' data beside the bundle. Fails when a browser bundle
// would pull in zod, a Node module or lit-html: the element must stay small and run in any
// browser, and it renders without lit-html (importing from `lit` instead of
// `@lit/reactive-element` would bring all of it back).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { vscodeCustomData, webTypes } from './editor-data.mjs';
import { cleanManifest, literalUnionAliases } from './manifest.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// package.json's "sideEffects" names the built files only, so esbuild would drop
// `import './element/define.js'` from src/index.ts; the standalone entry defines explicitly.
const entry = {
  contents: [
    "export * from './src/index.ts';",
    "import { LedyerCheckout } from './src/element/ledyer-checkout.ts';",
    'LedyerCheckout.define();',
  ].join('\n'),
  resolveDir: root,
  loader: 'ts',
  sourcefile: 'ledyer-checkout.standalone.ts',
};

/** Inputs and imports that must never reach a browser bundle. */
function forbidden(metafile) {
  const problems = [];
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (/(^|\/)node_modules\/zod\//.test(path)) problems.push(`bundles zod (${path})`);
    if (/(^|\/)node_modules\/(lit-html|lit-element)\//.test(path)) problems.push(`bundles lit-html or LitElement (${path}); import from @lit/reactive-element`);
    if (/^src\/(server|sandbox)\//.test(path)) problems.push(`bundles server or sandbox code (${path})`);
    for (const imported of input.imports) {
      if (imported.path.startsWith('node:') || imported.path === 'zod' || imported.path.startsWith('zod/')) {
        problems.push(`${path} imports ${imported.path}`);
      }
    }
  }
  for (const [path, output] of Object.entries(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.path.startsWith('node:') || imported.path === 'zod') problems.push(`${path} imports ${imported.path}`);
    }
  }
  return problems;
}

mkdirSync(new URL('../dist', import.meta.url), { recursive: true });

const common = {
  absWorkingDir: root,
  stdin: entry,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  metafile: true,
  logLevel: 'warning',
  // Dev-mode warnings and Lit's dev build stay out of what merchants ship.
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
};

// 1. The standalone bundle, Lit inside.
const standalone = await build({ ...common, outfile: 'dist/ledyer-checkout.js', minify: true, legalComments: 'eof', sourcemap: true });
// 2. The library's browser graph as a bundler would see it (Lit external), checked only.
const library = await build({ ...common, write: false, outfile: 'dist/.library-check.js', external: ['lit', 'lit/*', '@lit/*'] });

const problems = [...forbidden(standalone.metafile), ...forbidden(library.metafile)];
if (problems.length > 0) {
  console.error(`build-element: the browser bundle must not contain zod, Node modules or lit-html:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const bytes = standalone.metafile.outputs['dist/ledyer-checkout.js']?.bytes ?? 0;
console.log(`build-element: dist/ledyer-checkout.js ${(bytes / 1024).toFixed(1)} KiB, no zod, no node: imports, no lit-html`);

// 3. custom-elements.json from the class JSDoc, cleaned for consumers (scripts/manifest.mjs),
// and the editors' data generated from it (scripts/editor-data.mjs).
const cem = spawnSync(
  process.execPath,
  ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--litelement', '--globs', 'src/element/ledyer-checkout.ts', '--outdir', '.'],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
if (cem.status !== 0) {
  console.error('build-element: custom-elements.json could not be generated');
  process.exit(cem.status ?? 1);
}
const manifestUrl = new URL('../custom-elements.json', import.meta.url);
const manifest = cleanManifest(JSON.parse(readFileSync(manifestUrl, 'utf8')), literalUnionAliases(`${root}src/element/types.ts`));
writeFileSync(manifestUrl, `${JSON.stringify(manifest, null, 2)}\n`);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
writeFileSync(new URL('../dist/vscode.html-custom-data.json', import.meta.url), `${JSON.stringify(vscodeCustomData(manifest, pkg), null, 2)}\n`);
writeFileSync(new URL('../dist/web-types.json', import.meta.url), `${JSON.stringify(webTypes(manifest, pkg), null, 2)}\n`);
console.log('build-element: custom-elements.json, dist/vscode.html-custom-data.json, dist/web-types.json');
