/**
 * What the visualizer costs: `npm run bench -- visualizer` (bench/run.ts calls run()), or
 * `node --import tsx -e "await (await import('./bench/visualizer.ts')).run()"`.
 *
 * 1. The worker side on the 64 MiB machine (16,384 frames): the same run (up to 1.2M references)
 *    bare (stepReferences in 20,000-reference chunks) and through the visualizer's Session (event
 *    listener, narration, samples, and an update with both frame-state arrays after every chunk).
 *    Target: the visualizer at most doubles the kernel's time.
 * 2. The page side: painting the 16,384-frame grid into an ImageData-shaped buffer.
 *    Target: under 8 ms a paint, so a 30 updates/s run leaves the page most of each frame.
 * Best of 5 interleaved rounds after a warm-up.
 */
import { createSimulation } from '../src/kernel/index.js';
import { gridLayout, paintGrid } from '../web/src/grid-paint.js';
import { PRESETS } from '../web/src/presets.js';
import type { RunConfig, WorkerToPage } from '../web/src/protocol.js';
import { Session } from '../web/src/session.js';

const PRESET = PRESETS.find((p) => p.id === 'preset:hotset-64m')!;
const CHUNK = 20_000;
const CHUNKS = 60;

function bare(): number {
  const sim = createSimulation(PRESET.build(), {});
  for (let i = 0; i < CHUNKS && !sim.done; i++) sim.stepReferences(CHUNK);
  return sim.now;
}

function throughSession(): { now: number; updates: number } {
  let updates = 0;
  let now = 0;
  const post = (msg: WorkerToPage): void => {
    if (msg.type === 'update') {
      updates++;
      now = msg.now;
    }
  };
  const session = new Session(post, createSimulation, () => PRESET.build());
  const config: RunConfig = { workload: { kind: 'catalog', id: PRESET.id }, memoryPages: null, memoryShare: null, preset: null, tunables: {}, fixes: {}, logDetail: 'daemon' };
  session.handle({ type: 'load', config });
  for (let i = 0; i < CHUNKS; i++) session.handle({ type: 'step-refs', n: CHUNK, command: i + 1 });
  return { now, updates };
}

function paint(rounds: number): number {
  const frames = PRESET.build().machine.memoryPages;
  const layout = gridLayout(frames, 640);
  const img = { width: layout.width, data: new Uint8ClampedArray(layout.width * layout.height * 4) };
  const states = new Uint8Array(frames);
  const marks = new Uint8Array(frames);
  for (let f = 0; f < frames; f++) {
    states[f] = (f * 7919) % 7;
    marks[f] = (f * 104729) % 16;
  }
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) paintGrid(img, layout, states, marks);
  return (performance.now() - t0) / rounds;
}

export async function run(): Promise<void> {
  const { default: Table } = await import('cli-table3');
  bare();
  throughSession();
  paint(20);
  let bestBare = Infinity;
  let bestSession = Infinity;
  let bestPaint = Infinity;
  let simNs = 0;
  let updates = 0;
  for (let round = 0; round < 5; round++) {
    let t0 = performance.now();
    simNs = bare();
    bestBare = Math.min(bestBare, performance.now() - t0);
    t0 = performance.now();
    const s = throughSession();
    bestSession = Math.min(bestSession, performance.now() - t0);
    updates = s.updates;
    if (s.now !== simNs) throw new Error(`the session ran to ${s.now} ns, the bare kernel to ${simNs} ns: not the same run`);
    bestPaint = Math.min(bestPaint, paint(50));
  }
  const table = new Table({ head: ['measure', 'value', 'target'], style: { head: [], border: [] } });
  table.push(
    ['kernel alone (64 MiB preset)', `${bestBare.toFixed(0)} ms (${(simNs / 1e9).toFixed(2)} s simulated)`, ''],
    [`through the visualizer's Session (${updates} updates)`, `${bestSession.toFixed(0)} ms`, ''],
    ['visualizer / kernel', `${(bestSession / bestBare).toFixed(2)}×`, '≤ 2×'],
    ['grid paint, 16,384 frames', `${bestPaint.toFixed(2)} ms`, '< 8 ms'],
  );
  console.log(table.toString());
}
