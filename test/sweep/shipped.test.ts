/** The example sweep files in sweeps/ parse and expand to the points their comments promise. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { expandSweep, readSweepSpec } from '../../src/sweep/spec.js';

const dir = fileURLToPath(new URL('../../sweeps/', import.meta.url));

test('sweeps/burst.yaml: 2 memories × 3 burst limits × 2 fix settings over the default scenario', () => {
  const points = expandSweep(readSweepSpec(`${dir}burst.yaml`));
  assert.equal(points.length, 12);
  assert.equal(points[0]!.id, 'memory=4MiB tunables.vm_pageout_burst_max=5 fixes=none');
});

test('sweeps/policies.yaml: six policies at four sizes on the shipped sort trace', () => {
  const points = expandSweep(readSweepSpec(`${dir}policies.yaml`));
  assert.equal(points.length, 24);
  assert.match(points[23]!.id, /policy=opt size=400$/);
});
