/**
 * `npm start`: the demo shop in one process. Prints the storefront URL and which Ledyer it
 * talks to; Ctrl-C (or SIGTERM) stops the dev server and the sandbox together.
 */
import { DemoConfigError } from './server/environment.js';
import { startDemo } from './start-demo.js';

const portArgument = process.env['PORT'];
const port = portArgument === undefined || portArgument === '' ? undefined : Number(portArgument);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
  console.error(`PORT must be a port number (0–65535), not ${JSON.stringify(portArgument)}.`);
  process.exit(1);
}

let demo: Awaited<ReturnType<typeof startDemo>>;
try {
  demo = await startDemo({ ...(port === undefined ? {} : { port }), log: (line) => console.log(`  shop: ${line}`) });
} catch (error) {
  // A configuration mistake is the user's to fix: one line, no stack trace.
  if (error instanceof DemoConfigError) {
    console.error(`npm start: ${error.message}`);
  } else {
    console.error(`npm start: the demo did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}

console.log(`\n  Ledyer Checkout demo shop: ${demo.url}`);
console.log(`  Talking to ${demo.description}.`);
if (demo.target.kind === 'ledyer' && demo.target.publicUrl === null) {
  console.log('  Set LEDYER_DEMO_PUBLIC_URL (an https tunnel to this port) for Ledyer to call the validate and notification URLs.');
}
console.log('  Press Ctrl-C to stop.\n');

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n  Stopping the demo…');
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
