// `npm run build`: the library (ESM + .d.ts) with tsc, the sandbox's browser assets beside
// it, then the standalone element bundle and custom-elements.json.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function step(label, command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
step('tsc', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
step('sandbox assets', process.execPath, ['scripts/copy-sandbox-assets.mjs']);
step('element bundle', process.execPath, ['scripts/build-element.mjs']);
const cli = new URL('../dist/sandbox/cli.js', import.meta.url);
if (existsSync(cli)) chmodSync(cli, 0o755);
console.log('build: done');
