// The element's browser artefacts: `dist/ledyer-checkout.js` (standalone ESM for a
// `<script type="module">` tag, Lit bundled, minified) and `custom-elements.json` at the
// project root. Fails when a browser bundle would pull in zod or a Node module: the
// element must stay small and run in any browser.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
const library = await build({ ...common, write: false, outfile: 'dist/.library-check.js', external: ['lit', 'lit/*'] });

const problems = [...forbidden(standalone.metafile), ...forbidden(library.metafile)];
if (problems.length > 0) {
  console.error(`build-element: the browser bundle must not contain zod or Node modules:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const bytes = standalone.metafile.outputs['dist/ledyer-checkout.js']?.bytes ?? 0;
console.log(`build-element: dist/ledyer-checkout.js ${(bytes / 1024).toFixed(1)} KiB, no zod, no node: imports`);

// 3. custom-elements.json from the class JSDoc.
const cem = spawnSync(
  process.execPath,
  ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--litelement', '--globs', 'src/element/ledyer-checkout.ts', '--outdir', '.'],
  { cwd: root, stdio: 'inherit' },
);
if (cem.status !== 0) {
  console.error('build-element: custom-elements.json could not be generated');
  process.exit(cem.status ?? 1);
}
// The analyzer also guesses event names from every `dispatchEvent(new X(firstArgument))`,
// which for these Event subclasses is a field value; the `@fires` tags are the truth.
const manifestUrl = new URL('../custom-elements.json', import.meta.url);
const manifest = JSON.parse(readFileSync(manifestUrl, 'utf8'));
for (const module of manifest.modules ?? []) {
  for (const declaration of module.declarations ?? []) {
    if (Array.isArray(declaration.events)) {
      declaration.events = declaration.events.filter((event) => typeof event.name === 'string' && event.name.startsWith('ledyer-') && event.description);
    }
  }
}
writeFileSync(manifestUrl, `${JSON.stringify(manifest, null, 2)}\n`);
console.log('build-element: custom-elements.json');
