// Dev-server plugin for the element's browser tests.
// - `GET /__fake/flaky/<key>/bootstrap`: 404 on the first request for a key, the test
//   double afterwards, so `reload()` after `script-load-failed` can be shown to work.
// - With the sandbox present (src/sandbox), it is started for the run and
//   `POST /__ledyer/session` creates a session server-side with its credentials and answers
//   `{ sessionId, orderId, url }`: the credentials never reach the browser.
import { readFile } from 'node:fs/promises';

const fakeBootstrap = new URL('./fixtures/fake-bootstrap.js', import.meta.url);

export function sandboxPlugin() {
  const flakyKeys = new Set();
  return {
    name: 'ledyer-sandbox',
    async serve(context) {
      const flaky = /^\/__fake\/flaky\/([\w-]+)\/bootstrap$/.exec(context.path);
      if (flaky && context.method === 'GET') {
        const key = flaky[1];
        if (!flakyKeys.has(key)) {
          flakyKeys.add(key);
          // Falls through to the static files: 404. The path has no extension because the
          // test runner marks every path with one cacheable for a year, 404s included.
          return undefined;
        }
        return { body: await readFile(fakeBootstrap, 'utf8'), type: 'application/javascript', headers: { 'cache-control': 'no-store' } };
      }
      return undefined;
    },
  };
}
