// Placeholder until the element tests need the sandbox: a dev-server plugin that does nothing.
export function sandboxPlugin() {
  return { name: 'ledyer-sandbox' };
}
