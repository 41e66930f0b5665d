// Finds the Chromium the browser and end-to-end tests drive. Browser downloads are not
// possible on the machines this project targets, so we use the system's Chromium:
// CHROME_PATH first, then the usual Debian/Ubuntu paths; as root with apt-get, install
// Debian's `chromium` package; otherwise say in one line how to get one.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags every headless launch uses; the network ones keep Chromium off a closed network. */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function locate() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, but no file is there.`);
  }
  return candidates.find((path) => existsSync(path));
}

function canInstallWithApt() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns the path of a Chromium executable, installing Debian's package where we may. */
export function findChromium({ install = true } = {}) {
  const found = locate();
  if (found) return found;
  if (install && canInstallWithApt()) {
    console.error('No Chromium found; installing Debian\'s chromium package with apt-get ...');
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
    const installed = locate();
    if (installed) return installed;
  }
  throw new Error('No Chromium found: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROME_PATH to its executable.');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(findChromium());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
