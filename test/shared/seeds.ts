/**
 * The example bodies of the two seed pages in ../shared/seeds/, read verbatim so tests
 * follow the documents rather than a copy of them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const seedsDir = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

function readSeed(name: string): string {
  return readFileSync(seedsDir + name, 'utf8');
}

/** The JSON after `-d '` up to the closing quote of a curl example. */
function curlBody(page: string): unknown {
  const start = page.indexOf("-d '");
  const end = page.indexOf("'", start + 4);
  if (start < 0 || end < 0) throw new Error('no curl -d body in the seed page');
  return JSON.parse(page.slice(start + 4, end));
}

/** The first top-level JSON object after `marker`. */
function jsonAfter(page: string, marker: string): unknown {
  const from = page.indexOf(marker);
  if (from < 0) throw new Error(`marker not found in seed: ${marker}`);
  const start = page.indexOf('{', from);
  let depth = 0;
  let inString = false;
  for (let index = start; index < page.length; index += 1) {
    const char = page[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return JSON.parse(page.slice(start, index + 1));
  }
  throw new Error('unterminated JSON object in seed');
}

const createPage = readSeed('create-order-session.txt');
const editPage = readSeed('edit-order.txt');

export const seedCreateSessionRequest = (): Record<string, unknown> => curlBody(createPage) as Record<string, unknown>;
export const seedEditOrderRequest = (): Record<string, unknown> => curlBody(editPage) as Record<string, unknown>;
export const seedOrderResponse = (): Record<string, unknown> =>
  jsonAfter(editPage, 'Total order VAT amount in minor units.') as Record<string, unknown>;
