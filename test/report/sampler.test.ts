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
