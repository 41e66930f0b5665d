// Turns the analyzer's custom-elements.json into the one the package ships: what a consumer
// can use, where it is in the installed package, with the values a tool can offer.
// - no private members (`#fields`, `#methods`) and no events the analyzer guessed;
// - paths of the built files (`dist/…js`), not of the sources, which a tool cannot import;
// - a union alias (`LedyerEnvironment`) spelt as its values (`'sandbox' | 'production'`),
//   read from the element's own types with TypeScript, so the two cannot drift.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import ts from 'typescript';

/**
 * `{ LedyerEnvironment: "'sandbox' | 'production'", … }` for every exported alias of string
 * literals in `file`.
 * @param {string} file
 * @returns {Map<string, string>}
 */
export function literalUnionAliases(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const aliases = new Map();
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const { type } = statement;
    const members = ts.isUnionTypeNode(type) ? type.types : [type];
    if (!members.every((member) => ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal))) continue;
    aliases.set(statement.name.text, members.map((member) => `'${/** @type {ts.StringLiteral} */ (/** @type {ts.LiteralTypeNode} */ (member).literal).text}'`).join(' | '));
  }
  return aliases;
}

/**
 * `src/element/x.ts` (or a `./y.js` import beside it) → `dist/element/x.js`.
 * @param {string} path
 * @param {string} [from] the module the path is relative to
 */
export function distPath(path, from) {
  const joined = from && path.startsWith('.') ? posix.join(posix.dirname(from), path) : path;
  return joined.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

/**
 * @param {any} manifest the analyzer's output, changed in place and returned
 * @param {Map<string, string>} aliases
 */
export function cleanManifest(manifest, aliases) {
  const spell = (/** @type {{ text: string } | undefined} */ type) => {
    if (!type) return;
    type.text = type.text.replace(/\b[A-Z]\w*\b/g, (name) => (aliases.has(name) ? aliases.get(name) ?? name : name));
  };
  for (const module of manifest.modules ?? []) {
    const sourcePath = module.path;
    module.path = distPath(sourcePath);
    for (const exported of module.exports ?? []) {
      if (exported.declaration?.module) exported.declaration.module = distPath(exported.declaration.module, sourcePath);
    }
    for (const declaration of module.declarations ?? []) {
      if (Array.isArray(declaration.members)) {
        declaration.members = declaration.members.filter((member) => !member.name.startsWith('#') && member.privacy !== 'private' && member.privacy !== 'protected');
        for (const member of declaration.members) {
          spell(member.type);
          spell(member.return?.type);
          for (const parameter of member.parameters ?? []) spell(parameter.type);
        }
      }
      for (const attribute of declaration.attributes ?? []) spell(attribute.type);
      // The analyzer also guesses event names from every `dispatchEvent(new X(firstArgument))`,
      // which for these Event subclasses is a field value; the `@fires` tags are the truth.
      if (Array.isArray(declaration.events)) {
        declaration.events = declaration.events.filter((event) => typeof event.name === 'string' && event.name.startsWith('ledyer-') && event.description);
      }
    }
  }
  return manifest;
}
