/**
 * `pageout serve`: the browser visualizer on 127.0.0.1. Builds web/ into web/dist with Vite's JS
 * API when the build is missing or older than its sources, then serves it with node:http — no
 * other dependency, nothing fetched from a network, one port.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { action, flagError, withExamples } from '../common.js';

/** The repository root (this file is src/cli/commands/serve.ts). */
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const WEB_DIR = join(REPO, 'web');
export const DIST_DIR = join(WEB_DIR, 'dist');

/** What the page bundles: a change in any of these makes web/dist stale. */
const SOURCE_ROOTS = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts'), join(REPO, 'src'), join(REPO, 'scenarios')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** web/dist is missing, or some source it bundles changed after it was built. */
export function isBuildStale(): boolean {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCE_ROOTS.some((p) => newestMtime(p) > built);
}

/** Build the page into web/dist (Vite's JS API, the config in web/vite.config.ts). */
export async function buildWeb(): Promise<void> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error('web/dist is missing and Vite is not installed: run `npm install` (with dev dependencies), then `npm run build:web`');
  }
  await vite.build({ root: WEB_DIR, configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

export async function ensureBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  if (!opts.force && !isBuildStale()) return;
  opts.log?.('building the visualizer (web/ → web/dist) …');
  await buildWeb();
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.yaml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serve the files of `root` (web/dist) on host:port; port 0 picks a free one. */
export function startServer(opts: { root?: string; host: string; port: number }): Promise<RunningServer> {
  const root = resolve(opts.root ?? DIST_DIR);
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = normalize(join(root, pathname));
    // never outside the build directory (../ in the URL)
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      resolveStart({
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function parsePort(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 65535) throw flagError('--port', 'a port number from 0 to 65535', raw);
  return n;
}

interface ServeFlags {
  port: string;
  host: string;
  rebuild?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Serve the browser visualizer: watch the pageout daemon work, step by step (offline, no CDN)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '5178')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--rebuild', 'build web/dist again even if it looks up to date');
  withExamples(cmd, ['pageout serve', 'pageout serve --port 8080', 'npm run build:web   # only build web/dist']);
  cmd.action(action(async (flags: ServeFlags) => {
    const port = parsePort(flags.port);
    await ensureBuilt({ force: flags.rebuild === true, log: (l) => process.stderr.write(l + '\n') });
    const server = await startServer({ host: flags.host, port }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') throw flagError('--port', 'a port nobody listens on (or 0 for any free one)', `${port}, which is in use`);
      if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw flagError('--host', 'an address of this machine', flags.host);
      throw e;
    });
    process.stdout.write(`pageout visualizer at ${server.url}  (Ctrl-C stops it)\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  }));
}
