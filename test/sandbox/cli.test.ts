/** `ledyer-sandbox`: starts, prints its URL and credentials, and serves on that URL. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SANDBOX_CREDENTIALS } from '../../src/sandbox/index.js';
import { requestToken } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function runCli(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('prints the URL and the credentials it accepts', async () => {
  const child = runCli(['--port', '0']);
  try {
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout! });
    for await (const line of reader) {
      lines.push(line);
      if (lines.length === 3) break;
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1];
    assert.ok(url, lines.join('\n'));
    assert.ok(lines[1]?.includes(DEFAULT_SANDBOX_CREDENTIALS.clientId));
    assert.ok(lines[2]?.includes(DEFAULT_SANDBOX_CREDENTIALS.clientSecret));
    const token = await requestToken(url, DEFAULT_SANDBOX_CREDENTIALS.clientId, DEFAULT_SANDBOX_CREDENTIALS.clientSecret);
    assert.equal(token.status, 200);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('a bad --port is refused with usage and exit code 2', async () => {
  const child = runCli(['--port', 'abc']);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(stderr, /--port/);
  assert.match(stderr, /usage: ledyer-sandbox/);
});
