#!/usr/bin/env node
/**
 * `ledyer-sandbox [--port 4010] [--host 127.0.0.1]`: starts the sandbox and prints its URL
 * and the (well-known, sandbox-only) credentials it accepts. Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const usage = 'usage: ledyer-sandbox [--port 4010] [--host 127.0.0.1]';

function fail(message: string): never {
  console.error(`ledyer-sandbox: ${message}\n${usage}`);
  process.exit(2);
}

let values: { port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = values.port === undefined ? 4010 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be 0..65535, got ${values.port ?? ''}`);

const sandbox = await startSandbox({ port, host: values.host ?? '127.0.0.1' }).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
console.log(`Ledyer sandbox listening on ${sandbox.url}`);
console.log(`clientId:     ${sandbox.credentials.clientId}`);
console.log(`clientSecret: ${sandbox.credentials.clientSecret}`);
console.log(`token:        POST ${sandbox.url}/oauth/token   API: ${sandbox.url}/v1/   bootstrap: ${sandbox.url}/bootstrap.js`);
console.log(`control API:  ${sandbox.url}/sandbox/ (loopback only)`);

const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
