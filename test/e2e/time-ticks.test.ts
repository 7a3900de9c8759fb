/** The charts' simulated-time ticks: a unit that fits the run, and decimals that tell ticks apart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timeTicks } from '../../web/src/time-ticks.js';

test('time ticks take the unit and the decimals their values need', () => {
  // a dropped trace that ran for 4 µs: every tick read 0.000
  assert.deepEqual(timeTicks([0, 1e-6, 2e-6, 3e-6, 4e-6]), ['0 µs', '1 µs', '2 µs', '3 µs', '4 µs']);
  assert.deepEqual(timeTicks([0, 0.5e-6, 1e-6]), ['0.0 µs', '0.5 µs', '1.0 µs']);
  assert.deepEqual(timeTicks([0, 0.0005, 0.001, 0.0015]), ['0.0 ms', '0.5 ms', '1.0 ms', '1.5 ms']);
  assert.deepEqual(timeTicks([0, 5, 10, 15, 20]), ['0 s', '5 s', '10 s', '15 s', '20 s']);
  assert.deepEqual(timeTicks([0.25, 0.5, 0.75]), ['250 ms', '500 ms', '750 ms']);
  assert.deepEqual(timeTicks([0]), ['0 s']);
});
