/**
 * The demo storefront's Vite config. `npm start` (demo/start.ts) and the end-to-end tests
 * build it with `createDemoViteConfig()` on the ports they choose; `npx vite` uses the
 * default export and reads the same environment variables as `npm start`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type InlineConfig, type LogLevel } from 'vite';
import { demoTargetFromEnv } from './demo/server/environment.js';
import { ledyerDemoPlugin, type LedyerDemoPluginOptions } from './demo/vite-plugin.js';

export interface DemoViteOptions extends LedyerDemoPluginOptions {
  /** 0 picks a free port. Default 5173; a taken port moves to the next free one. */
  port?: number;
  host?: string;
  logLevel?: LogLevel;
}

const root = fileURLToPath(new URL('.', import.meta.url));

export function createDemoViteConfig(options: DemoViteOptions): InlineConfig & { plugins: [ReturnType<typeof ledyerDemoPlugin>] } {
  const port = options.port ?? 5173;
  const publicHost = options.target.kind === 'ledyer' && options.target.publicUrl ? new URL(options.target.publicUrl).hostname : null;
  return {
    configFile: false,
    root,
    publicDir: 'demo/public',
    // Its own cache, so the demo's pre-bundling never disturbs another Vite (web-test-runner, a library build).
    cacheDir: 'node_modules/.vite-demo',
    appType: 'mpa',
    logLevel: options.logLevel ?? 'info',
    clearScreen: false,
    server: {
      port,
      host: options.host ?? '127.0.0.1',
      strictPort: false,
      // No CORS: Vite would grant any localhost origin (another dev server, a local tool) the
      // right to read the shop's answers, its page and so its admin token included.
      cors: false,
      // Vite refuses Host names it does not know (DNS rebinding); the tunnel Ledyer calls is one it must know.
      ...(publicHost ? { allowedHosts: [publicHost] } : {}),
    },
    // Lit is plain ES modules: serving it as is means no dependency discovery and no
    // "new dependencies optimized, reloading" in the middle of a checkout.
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [ledyerDemoPlugin({ target: options.target, ...(options.log ? { log: options.log } : {}) })],
  };
}

export default defineConfig(() => createDemoViteConfig({ target: demoTargetFromEnv(process.env) }));
