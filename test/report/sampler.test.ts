import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BoundedSeries } from '../../src/report/sampler.js';
import { fakeSamples } from './fixture.js';

test('under capacity the series is the samples themselves', () => {
  const samples = fakeSamples(100);
  const s = new BoundedSeries(128);
  for (const x of samples) s.add(x);
  const c = s.columns();
  assert.equal(c.samplesPerPoint, 1);
  assert.deepEqual(c.t, samples.map((x) => x.t));
  assert.deepEqual(c.free, samples.map((x) => x.free));
  assert.deepEqual(c.freeMin, c.free);
  assert.deepEqual(c.active, samples.map((x) => x.active));
  assert.deepEqual(c.taskRefs[1], samples.map((x) => x.taskRefs[1]));
  // rates: the first point's faults since t = 0, per second
  assert.equal(c.faultsPerSec[0], samples[0]!.faults / (samples[0]!.t / 1e9));
});

test('a long run stays within the point budget and keeps the free count extremes', () => {
  const samples = fakeSamples(10_000);
  const s = new BoundedSeries(256);
  for (const x of samples) s.add(x);
  const c = s.columns();
  assert.ok(c.t.length <= 256, `${c.t.length} points`);
  assert.ok(c.samplesPerPoint >= 10_000 / 256);
  assert.equal(Math.min(...c.freeMin), Math.min(...samples.map((x) => x.free)));
  assert.equal(Math.max(...c.freeMax), Math.max(...samples.map((x) => x.free)));
  assert.equal(Math.max(...c.laundryMax), Math.max(...samples.map((x) => x.laundry)));
  assert.equal(c.t.at(-1), samples.at(-1)!.t, 'the newest sample is always shown');
});

test('rates integrate back to the cumulative counters', () => {
  const samples = fakeSamples(5000);
  const s = new BoundedSeries(300);
  for (const x of samples) s.add(x);
  const c = s.columns();
  let faults = 0;
  let prev = 0;
  for (let i = 0; i < c.t.length; i++) {
    faults += (c.faultsPerSec[i]! * (c.t[i]! - prev)) / 1e9;
    prev = c.t[i]!;
  }
  assert.ok(Math.abs(faults - samples.at(-1)!.faults) < 1, `${faults} vs ${samples.at(-1)!.faults}`);
});

test('property: any sample stream keeps bounds, order and extremes', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 3000 }),
    fc.integer({ min: 4, max: 64 }),
    (frees, cap) => {
      const s = new BoundedSeries(cap);
      frees.forEach((free, i) => s.add({ ...fakeSamples(1)[0]!, t: (i + 1) * 1000, free }));
      const c = s.columns();
      assert.ok(c.t.length <= cap + (cap % 2));
      for (let i = 1; i < c.t.length; i++) assert.ok(c.t[i]! > c.t[i - 1]!);
      assert.equal(Math.min(...c.freeMin), Math.min(...frees));
      assert.equal(Math.max(...c.freeMax), Math.max(...frees));
      assert.equal(c.free.at(-1), frees.at(-1));
    },
  ), { numRuns: 200 });
});

test('a second sample at the same instant replaces the last point, at any stride', () => {
  for (const cap of [8, 1000]) {
    const samples = fakeSamples(50);
    const s = new BoundedSeries(cap);
    for (const x of samples) s.add(x);
    const last = samples.at(-1)!;
    const again = { ...last, free: last.free + 7, faults: last.faults + 3 };
    s.add(again);
    const c = s.columns();
    assert.equal(c.t.filter((t) => t === last.t).length, 1, `cap ${cap}: one point at the last instant`);
    assert.equal(c.free.at(-1), again.free);
    assert.equal(Math.max(...c.freeMax), Math.max(...samples.map((x) => x.free), again.free));
  }
});

test('a run is sampled at every interval, idle stretches too, and sampling does not change it', async () => {
  const { parseScenarioText } = await import('../../src/workload/scenario-file.js');
  const { collectRun } = await import('../../src/report/collect.js');
  const { runScenario } = await import('../../src/kernel/index.js');
  // one task that faults often on 4 MiB with a slow pager: the CPU is idle for long stretches
  const scenario = parseScenarioText(
    'tunables: { vm_page_free_target: 1MiB, vm_page_free_min: 200, vm_pageout_burst_wait: 30ms }\nmachine: { memory: 4MiB }\nmaxTime: 1s\n' +
      'tasks:\n  - generator: { kind: uniform, pages: 2000, references: 4000, writeFraction: 30% }\n',
    'idle.yaml', '.',
  );
  const run = collectRun(scenario, { sampleIntervalNs: 10_000_000, series: true });
  const t = run.series!.t;
  const gaps = t.slice(1).map((x, i) => x - t[i]!);
  assert.ok(t.length > 20, `${t.length} samples`);
  assert.ok(Math.max(...gaps) <= 10_000_000, `largest gap ${Math.max(...gaps)} ns`);
  assert.ok(Math.min(...gaps) > 0, 'no two points at one instant');
  assert.equal(t.at(-1), run.result.simulatedTimeNs);
  assert.deepEqual(run.result, runScenario(scenario), 'the same result as without samples');

  // run to its end (the pagers drain after the last task): no sample past the run's time
  const short = parseScenarioText(
    'machine: { memory: 4MiB }\ntasks:\n  - generator: { kind: uniform, pages: 2000, references: 3000, writeFraction: 30% }\n',
    'short.yaml', '.',
  );
  const ended = collectRun(short, { sampleIntervalNs: 10_000_000, series: true });
  assert.equal(ended.result.outcome, 'completed');
  assert.equal(ended.result.truncated, false);
  const te = ended.series!.t;
  assert.equal(Math.max(...te), ended.result.simulatedTimeNs);
  assert.equal(te.at(-1), ended.result.simulatedTimeNs);
  assert.ok(te.every((x, i) => i === 0 || x > te[i - 1]!), 'times only increase');
});
