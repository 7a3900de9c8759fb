/**
 * The visualizer's worker session without a browser: To end runs in slices the page can watch
 * (and pause), and however long the page takes to draw, an update carries a bounded number of
 * samples and the run ends with the RunResult `pageout run` gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulation, runScenario } from '../../src/kernel/index.js';
import { loadScenario } from '../../src/workload/index.js';
import { Session } from '../../web/src/session.js';
import type { RunConfig, WorkerToPage } from '../../web/src/protocol.js';

type Update = Extract<WorkerToPage, { type: 'update' }>;

test('To end: slices the page sees running, bounded samples per update, the CLI\'s result', async () => {
  // too-small thrashes for 286 s of simulated time: 143,000 samples at the worker's 2 ms
  const scenario = loadScenario('too-small');
  const posts: WorkerToPage[] = [];
  // a slow page: it acknowledges each update half a second after it came, and the worker holds
  // what happens meanwhile (tens of thousands of samples) for the next one
  const session: Session = new Session((m) => {
    posts.push(m);
    if (m.type === 'update') setTimeout(() => session.handle({ type: 'ack', generation: m.generation }), 500);
  }, createSimulation, () => scenario);
  const config = { workload: { kind: 'scenario', id: 'shipped:too-small' }, memoryPages: null, memoryShare: null, preset: null, tunables: {}, fixes: {}, logDetail: 'daemon' } as unknown as RunConfig;
  session.handle({ type: 'load', config });
  session.handle({ type: 'run-to-end' });
  const updates = (): Update[] => posts.filter((m): m is Update => m.type === 'update');
  const deadline = Date.now() + 120_000;
  while (!updates().some((u) => u.done)) {
    assert.ok(Date.now() < deadline, 'the run ended');
    assert.equal(posts.find((m) => m.type === 'error'), undefined);
    await new Promise((r) => setTimeout(r, 50));
  }
  const all = updates();
  assert.ok(all.some((u) => u.running && !u.done), 'the page was told the run is going');
  for (const u of all) assert.ok(u.samples.length <= 8192, `${u.samples.length} samples in one update`);
  const last = all.at(-1)!;
  assert.equal(last.running, false);
  const times = all.flatMap((u) => u.samples.map((s) => s.t));
  assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!), 'sample times only increase');
  assert.deepEqual(last.result, runScenario(scenario));
});
