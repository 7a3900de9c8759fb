/**
 * Vite config of the visualizer. `npm run build:web` and `pageout serve` build web/ into web/dist:
 * relative asset URLs (served from any path or port), an ES-module Web Worker that bundles the
 * kernel and the scenario parser from ../src, and nothing fetched from a network at run time.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig, type Plugin } from 'vite';

const WEB = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(WEB, '..');
const SHIMS = resolve(WEB, 'src/shims');

/**
 * src/workload/scenario-file.ts reads scenario files and traces with node:fs. In the worker those
 * modules resolve to shims over an in-memory file system (web/src/shims), so shipped scenarios
 * parse with the very code the CLI runs; nothing else of Node reaches the bundle.
 */
function browserShims(): Plugin {
  const builtins: Record<string, string> = {
    'node:fs': resolve(SHIMS, 'fs.ts'),
    'node:path': resolve(SHIMS, 'path.ts'),
    'node:url': resolve(SHIMS, 'url.ts'),
  };
  const traceFile = resolve(REPO, 'src/workload/trace/file');
  return {
    name: 'pageout-browser-shims',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source in builtins) return builtins[source];
      if (importer && source.startsWith('.') && resolve(dirname(importer), source).replace(/\.(js|ts)$/, '') === traceFile) {
        return resolve(SHIMS, 'trace-file.ts');
      }
      return null;
    },
  };
}

/** src/workload/scenario-file.ts computes scenarios/ with `new URL(dir, import.meta.url)`; in the worker that stays a runtime URL on purpose. */
const logger = createLogger('warn');
const expected = (msg: string): boolean => /scenarios\/", import\.meta\.url\)/.test(msg);
const warn = logger.warn.bind(logger);
const warnOnce = logger.warnOnce.bind(logger);
logger.warn = (msg, options) => (expected(msg) ? undefined : warn(msg, options));
logger.warnOnce = (msg, options) => (expected(msg) ? undefined : warnOnce(msg, options));

export default defineConfig({
  customLogger: logger,
  base: './',
  plugins: [browserShims()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // shipped traces are assets fetched by the worker, never inlined into the bundle
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  worker: { format: 'es', plugins: () => [browserShims()] },
  // the shipped scenarios and the kernel live outside web/
  server: { host: '127.0.0.1', fs: { allow: [REPO] } },
  logLevel: 'warn',
});
