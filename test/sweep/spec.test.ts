import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputErrors } from '../../src/errors.js';
import { expandSweep, parseSweepSpec } from '../../src/sweep/spec.js';

const FILE = '/tmp/sweeps/s.yaml';

test('the product runs in file order, the last key fastest, with fixed values in every point', () => {
  const spec = parseSweepSpec(`
base: scenarios/tight.yaml
fixed:
  maxTime: 2s
vary:
  memory: [32MiB, 64MiB]
  tunables.vm_pageout_burst_max: [16, 32, 64]
  fixes: [none, "B1,B2"]
`, FILE);
  assert.equal(spec.base, '/tmp/sweeps/scenarios/tight.yaml', 'paths resolve against the sweep file');
  const points = expandSweep(spec);
  assert.equal(points.length, 12);
  assert.equal(points[0]!.id, 'memory=32MiB tunables.vm_pageout_burst_max=16 fixes=none');
  assert.equal(points[1]!.id, 'memory=32MiB tunables.vm_pageout_burst_max=16 fixes=B1,B2');
  assert.equal(points[11]!.id, 'memory=64MiB tunables.vm_pageout_burst_max=64 fixes=B1,B2');
  assert.deepEqual(points[5]!.overrides, { maxTime: '2s', memory: '32MiB', set: { vm_pageout_burst_max: 64 }, fixes: 'B1,B2' });
  assert.equal(new Set(points.map((p) => p.id)).size, 12, 'ids are unique');
  assert.equal(points[3]!.lines.memory, 6);
  assert.equal(points[3]!.lines['tunables.vm_pageout_burst_max'], 7);
});

test('fixes take the list form a scenario file uses, in fixed and in vary', () => {
  const points = expandSweep(parseSweepSpec('vary:\n  fixes: [[B2, B3], [], B1]\n', FILE));
  assert.deepEqual(points.map((p) => p.overrides.fixes), ['B2,B3', 'none', 'B1']);
  assert.deepEqual(points.map((p) => p.id), ['fixes=B2,B3', 'fixes=none', 'fixes=B1']);
  const fixed = expandSweep(parseSweepSpec('fixed:\n  fixes: [B2]\nvary:\n  seed: [1]\n', FILE));
  assert.equal(fixed[0]!.overrides.fixes, 'B2');
  // an empty name is refused where it stands, the list quoted as written (it used to read 'B2,')
  assert.throws(() => parseSweepSpec('vary:\n  fixes: [[B2, ""], [B1]]\n', FILE), {
    message: `${FILE}:2 vary.fixes[0][1]: expected defect names among B1, B2, B3, none of them empty, got '' in [B2, '']`,
  });
});

test('scenario names stay names; default means the embedded default', () => {
  const points = expandSweep(parseSweepSpec('vary:\n  scenario: [default, tight, ./x.yaml]\n  options.pmapCollect: [true]\n', FILE));
  assert.deepEqual(points.map((p) => p.scenario), [undefined, 'tight', '/tmp/sweeps/x.yaml']);
  assert.deepEqual(points.map((p) => p.params.scenario), ['default', 'tight', './x.yaml'], 'named as written');
  assert.deepEqual(points[0]!.overrides, { set: { pmapCollect: true } });
});

test('mistakes are reported together with file, line and field', () => {
  assert.throws(() => parseSweepSpec(`
vary:
  memroy: [1, 2]
  preset: gnumach-1999
  seed: []
  tunables.vm_nothing: [1]
bogus: 1
report:
  maxPoints: 3
`, FILE), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    const lines = e.errors.map((x) => x.message);
    assert.ok(lines.some((l) => /^\/tmp\/sweeps\/s\.yaml:3 vary\.memroy: expected a parameter: scenario, memory/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^\/tmp\/sweeps\/s\.yaml:4 vary\.preset: expected a list of values for preset, got 'gnumach-1999'/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^\/tmp\/sweeps\/s\.yaml:5 vary\.seed: expected at least one value for seed, got an empty list/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /:6 vary\.tunables\.vm_nothing: expected a parameter/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /:7 bogus: expected one of the keys base, fixed, vary, report/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /:9 report\.maxPoints: expected a whole number ≥ 16/.test(l)), lines.join('\n'));
    assert.deepEqual(e.errors.map((x) => x.at.line), [3, 4, 5, 6, 7, 9], 'in line order');
    return true;
  });
  // the mode is judged before the report is read, yet its problem is listed at its own line
  assert.throws(() => parseSweepSpec('report:\n  maxPoints: 3\nvary:\n  policy: [lru]\n  memory: [4]\n  size: [4]\n  trace: [x]\n', FILE), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [
      `${FILE}:2 report.maxPoints: expected a whole number ≥ 16, got 3`,
      `${FILE}:4 vary: expected either cache-mode parameters (trace, policy, size; preset, fixes, tunables and options for mach points) or kernel-mode ones, got both (memory with policy, size, trace)`,
    ]);
    return true;
  });
  assert.throws(() => parseSweepSpec('vary: [1\n', FILE), /s\.yaml:\d+: expected valid YAML/);
  assert.throws(() => parseSweepSpec('base: x\n', FILE), /a key 'vary'/);
});
