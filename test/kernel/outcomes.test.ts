/**
 * How a run ends when no task can make progress: the deadlock is found when the stall has lasted
 * 120 s of simulated time, at a whole nanosecond, whatever slices the caller runs the model in
 * (the CLI in one call, the visualizer in slices sized by wall-clock throughput).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulation, runScenario } from '../../src/kernel/index.js';
import { applyOverrides } from '../../src/workload/overrides.js';
import { loadScenario } from '../../src/workload/scenario-file.js';

// a minute per page of the burst: the daemon's first pause is ten minutes long, and every task
// waiting for a free page stalls behind it
const stalled = () => applyOverrides(loadScenario('default'), { set: { vm_pageout_burst_wait: '1min' } });

test('a stall is a deadlock 120 s after the last progress, not at the pause\'s end ten minutes on', () => {
  const r = runScenario(stalled());
  assert.equal(r.outcome, 'deadlock');
  assert.match(r.outcomeDetail, /^no task made progress for 120\.000 s of simulated time; waiting: pageout daemon \(pause: burst of 10 pages sent\)/);
  assert.ok(Number.isInteger(r.simulatedTimeNs));
  assert.ok(r.simulatedTimeNs > 120e9 && r.simulatedTimeNs < 600e9, `${r.simulatedTimeNs} ns`);
});

test('run in fractional slices, the same deadlock at the same nanosecond', () => {
  const whole = runScenario(stalled());
  const sim = createSimulation(stalled());
  for (let t = 0; !sim.done; t += 777_777_777.7) sim.runUntil(t);
  const sliced = sim.result();
  assert.equal(sliced.simulatedTimeNs, whole.simulatedTimeNs);
  assert.deepEqual(sliced, whole);
});
