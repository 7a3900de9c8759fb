/**
 * A small pool of worker threads for sweep points: each worker runs one point at a time and gets
 * the next when it posts its outcome, so long and short points balance themselves. A worker that
 * dies (out of memory, a crash in native code) fails only its own point; a fresh one takes its place.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PointOutcome, PointTask, WorkerMessage } from './point.js';

/** Where workers start, and what to remove when the sweep is over. */
interface WorkerEntry {
  url: URL;
  cleanup(): void;
}

/**
 * From TypeScript sources, each worker would register tsx and transform every module again: about
 * two CPU-seconds per worker before its first point. Instead the worker and everything it imports
 * are bundled once (esbuild, ~0.1 s) into one plain-JavaScript file that workers load directly.
 * Each module's `import.meta.url` is replaced by its own source URL, so paths relative to a source
 * file (the shipped scenarios) resolve as they do unbundled. If esbuild is unavailable, the tsx shim
 * is used (ecosystem.md §5).
 */
async function workerEntry(): Promise<WorkerEntry> {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./worker.js', import.meta.url), cleanup() {} };
  let build: typeof import('esbuild').build;
  try {
    ({ build } = await import('esbuild'));
  } catch {
    return { url: new URL('./worker-shim.mjs', import.meta.url), cleanup() {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-worker-'));
  const outfile = join(dir, 'worker.mjs');
  try {
    await build({
      entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      // bundled CommonJS packages (yaml) call require() for Node built-ins
      banner: { js: "import { createRequire as __pageoutRequire } from 'node:module'; const require = __pageoutRequire(import.meta.url);" },
      plugins: [{
        name: 'source-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      }],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { url: pathToFileURL(outfile), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function runOnWorkers(
  tasks: readonly PointTask[],
  workers: number,
  onOutcome: (o: PointOutcome) => void,
  onFraction?: (index: number, fraction: number) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  const entry = await workerEntry();
  try {
    await runPool(entry.url, tasks, workers, onOutcome, onFraction);
  } finally {
    entry.cleanup();
  }
}

async function runPool(
  url: URL,
  tasks: readonly PointTask[],
  workers: number,
  onOutcome: (o: PointOutcome) => void,
  onFraction?: (index: number, fraction: number) => void,
): Promise<void> {
  const queue = [...tasks];
  const live = new Set<Worker>();
  let failure: unknown = null;

  await new Promise<void>((resolveAll) => {
    let running = 0;
    const finishIfIdle = (): void => {
      if (running === 0 && (queue.length === 0 || failure !== null)) resolveAll();
    };
    const start = (): void => {
      const worker = new Worker(url);
      live.add(worker);
      let current: PointTask | null = null;
      const next = (): void => {
        current = failure === null ? (queue.shift() ?? null) : null;
        if (current === null) {
          live.delete(worker);
          void worker.terminate();
          running--;
          finishIfIdle();
          return;
        }
        worker.postMessage(current);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') {
          onFraction?.(m.index, m.fraction);
          return;
        }
        try {
          onOutcome(m.outcome);
        } catch (e) {
          failure ??= e;
        }
        next();
      });
      // a point whose worker dies is reported failed, so the rows after it are not held back
      const failCurrent = (why: string): void => {
        if (current === null) return;
        const task: PointTask = current;
        current = null;
        try {
          onOutcome({ index: task.index, ok: false, error: `worker died: ${why}`, inputError: false, wallMs: 0 });
        } catch (err) {
          failure ??= err;
        }
      };
      worker.on('error', (e) => failCurrent(e.message));
      worker.on('exit', (code) => {
        if (!live.has(worker)) return;
        // died unexpectedly: report its point (unless 'error' did) and replace it if work is left
        failCurrent(`exit code ${code}`);
        live.delete(worker);
        running--;
        if (queue.length > 0 && failure === null) start();
        else finishIfIdle();
      });
      running++;
      next();
    };
    for (let i = 0; i < Math.min(workers, tasks.length); i++) start();
  });
  await Promise.all([...live].map((w) => w.terminate()));
  if (failure !== null) throw failure;
}
