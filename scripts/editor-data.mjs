// Editor support generated from the shipped custom-elements.json: VS Code's HTML custom data
// (`html.customData`) and JetBrains' web-types (package.json `web-types`), so both complete
// and document `<ledyer-checkout>`'s attributes, their values and its events.

/** `'sandbox' | 'production'` → `['sandbox', 'production']`; anything else → `null`. */
function literalValues(/** @type {string | undefined} */ text) {
  if (!text) return null;
  const parts = text.split('|').map((part) => part.trim()).filter((part) => part !== 'null' && part !== 'undefined');
  if (parts.length === 0 || !parts.every((part) => /^'[^']*'$/.test(part))) return null;
  return parts.map((part) => part.slice(1, -1));
}

/** @param {any} manifest */
function elements(manifest) {
  return (manifest.modules ?? []).flatMap((/** @type {any} */ module) =>
    (module.declarations ?? []).filter((/** @type {any} */ declaration) => declaration.customElement && declaration.tagName).map((/** @type {any} */ declaration) => ({ module, declaration })),
  );
}

/**
 * @param {any} manifest the cleaned manifest
 * @param {{ homepage: string }} pkg
 */
export function vscodeCustomData(manifest, pkg) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elements(manifest).map(({ declaration }) => ({
      name: declaration.tagName,
      description: declaration.description,
      attributes: (declaration.attributes ?? []).map((/** @type {any} */ attribute) => {
        const values = literalValues(attribute.type?.text);
        return {
          name: attribute.name,
          description: attribute.description,
          ...(values ? { values: values.map((name) => ({ name })) } : attribute.type?.text === 'boolean' ? { valueSet: 'v' } : {}),
        };
      }),
      references: [{ name: 'README', url: `${pkg.homepage}#readme` }],
    })),
  };
}

/**
 * @param {any} manifest the cleaned manifest
 * @param {{ name: string, version: string, homepage: string }} pkg
 */
export function webTypes(manifest, pkg) {
  return {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: elements(manifest).map(({ declaration }) => ({
          name: declaration.tagName,
          description: declaration.description,
          'doc-url': `${pkg.homepage}#readme`,
          source: { module: `${pkg.name}/element`, symbol: declaration.name },
          attributes: (declaration.attributes ?? []).map((/** @type {any} */ attribute) => {
            const values = literalValues(attribute.type?.text);
            return {
              name: attribute.name,
              description: attribute.description,
              ...(attribute.default !== undefined ? { default: attribute.default } : {}),
              value: attribute.type?.text === 'boolean' ? { type: 'boolean', required: false } : { type: attribute.type?.text ?? 'string' },
              ...(values ? { values: values.map((name) => ({ name })) } : {}),
            };
          }),
          slots: (declaration.slots ?? []).map((/** @type {any} */ slot) => ({ name: slot.name, description: slot.description })),
          events: (declaration.events ?? []).map((/** @type {any} */ event) => ({ name: event.name, description: event.description })),
          js: {
            properties: (declaration.members ?? [])
              .filter((/** @type {any} */ member) => member.kind === 'field' && !member.static)
              .map((/** @type {any} */ member) => ({ name: member.name, description: member.description, value: { type: member.type?.text ?? 'unknown' } })),
            events: (declaration.events ?? []).map((/** @type {any} */ event) => ({ name: event.name, description: event.description, value: { type: event.type?.text ?? 'Event' } })),
          },
        })),
      },
      css: {
        properties: elements(manifest).flatMap(({ declaration }) =>
          (declaration.cssProperties ?? []).map((/** @type {any} */ property) => ({ name: property.name, description: property.description })),
        ),
      },
    },
  };
}
