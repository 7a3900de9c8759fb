/**
 * Vite config of the visualizer. `npm run build:web` and `pageout serve` build web/ into web/dist:
 * relative asset URLs (served from any path or port), an ES-module Web Worker that bundles the
 * kernel and the scenario parser from ../src, and nothing fetched from a network at run time.
 * Nothing of Node reaches the bundle: the parser reads traces through the ScenarioFiles the worker
 * gives it (src/memory-files.ts), and tsconfig.core.json keeps it free of Node.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const WEB = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(WEB, '..');

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // shipped traces are assets fetched by the worker, never inlined into the bundle
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  worker: { format: 'es' },
  // the shipped scenarios and the kernel live outside web/
  server: { host: '127.0.0.1', fs: { allow: [REPO] } },
  logLevel: 'warn',
});
