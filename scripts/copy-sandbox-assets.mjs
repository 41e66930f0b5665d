// Copies the sandbox's browser assets (bootstrap.js, protocol.js, the hosted page's JS and
// CSS) beside the compiled browser-routes.js: they are served as they are, with no build
// step, and browser-routes.js finds them at `new URL('./browser/', import.meta.url)`.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/sandbox/browser/', import.meta.url));
const to = fileURLToPath(new URL('../dist/sandbox/browser/', import.meta.url));

if (!existsSync(from)) {
  console.error(`copy-sandbox-assets: ${from} is missing`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`copy-sandbox-assets: ${from} -> ${to}`);
