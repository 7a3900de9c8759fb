/**
 * Vite config of the visualizer. `npm run build:web` and `pageout serve` build web/ into web/dist:
 * relative asset URLs (served from any path or port), an ES-module Web Worker that bundles the
 * kernel from ../src, and nothing fetched from a network at run time.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // shipped traces are assets fetched by the worker, never inlined into the bundle
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: 'es' },
  // the shipped scenarios and the kernel live outside web/
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
  logLevel: 'warn',
});
