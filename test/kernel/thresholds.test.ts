import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS, deriveThresholds, createSimulation, runScenario } from '../../src/kernel/index.js';
import { applyOverrides } from '../../src/workload/overrides.js';
import { loadScenario } from '../../src/workload/scenario-file.js';
import { makeScenario } from './fixtures.js';

test('gnumach-1999: the spec §1.5 example (32768 pages, 30000 free at daemon start)', () => {
  const { thresholds, daemon } = deriveThresholds(PRESETS['gnumach-1999'], {}, 30000);
  assert.deepEqual(thresholds, {
    vm_page_free_reserved: 50,
    vm_page_free_min: 359,
    vm_page_free_target: 439,
    vm_pageout_reserved_internal: 25,
    vm_pageout_reserved_really: 10,
    vm_page_external_limit: 14975,
    vm_page_external_target: 7487,
  });
  assert.deepEqual(daemon, { burstMax: 10, burstMin: 5, burstWaitMs: 10, emptyWaitMs: 75, pauseMax: 10 });
});

test('thresholds follow the seed formulas at several sizes for every preset', () => {
  for (const free of [300, 1000, 4096, 16384, 65536, 262144]) {
    const f = (r: number) => free - r;
    const seed = deriveThresholds(PRESETS['gnumach-1999'], {}, free).thresholds;
    assert.equal(seed.vm_page_free_min, 50 + 10 + Math.trunc(f(50) / 100));
    assert.equal(seed.vm_page_free_target, Math.max(50 + 15 + Math.trunc(f(50) / 80), seed.vm_page_free_min + 5));
    assert.equal(seed.vm_page_external_limit, Math.trunc(f(50) / 2));
    assert.equal(seed.vm_page_external_target, Math.trunc(f(50) / 4));
    const cmu = deriveThresholds(PRESETS['cmu-1987'], {}, free);
    assert.equal(cmu.thresholds.vm_page_free_reserved, 15);
    assert.equal(cmu.thresholds.vm_pageout_reserved_internal, 10);
    assert.equal(cmu.thresholds.vm_pageout_reserved_really, 5);
    assert.equal(cmu.thresholds.vm_page_free_min, 15 + 10 + Math.trunc(f(15) / 100));
    assert.equal(cmu.thresholds.vm_page_external_limit, Infinity);
    assert.equal(cmu.daemon.burstWaitMs, 30);
    assert.equal(cmu.daemon.emptyWaitMs, 200);
    const y2014 = deriveThresholds(PRESETS['gnumach-2014'], {}, free).thresholds;
    assert.equal(y2014.vm_page_free_reserved, 500);
    assert.equal(y2014.vm_pageout_reserved_internal, 250);
    assert.equal(y2014.vm_pageout_reserved_really, 100);
    assert.equal(y2014.vm_page_free_min, 500 + 100 + Math.trunc((f(500) * 8) / 100));
    assert.equal(y2014.vm_page_free_target, Math.max(500 + 150 + Math.trunc((f(500) * 10) / 100), y2014.vm_page_free_min + 5));
  }
});

test('the ordering reserved_really < reserved_internal < free_reserved < free_min < free_target holds', () => {
  for (const preset of Object.values(PRESETS)) {
    const t = deriveThresholds(preset, {}, 50000).thresholds;
    assert.ok(t.vm_pageout_reserved_really < t.vm_pageout_reserved_internal);
    assert.ok(t.vm_pageout_reserved_internal < t.vm_page_free_reserved);
    assert.ok(t.vm_page_free_reserved < t.vm_page_free_min);
    assert.ok(t.vm_page_free_min < t.vm_page_free_target);
  }
});

test('a reserve below the seed\'s constants wraps reserved_internal/really as unsigned int does in C', () => {
  const t = deriveThresholds(PRESETS['gnumach-1999'], { vm_page_free_reserved: 20 }, 5000).thresholds;
  assert.equal(t.vm_pageout_reserved_internal, 2 ** 32 - 5, '(20 - 25) as unsigned int');
  assert.equal(t.vm_pageout_reserved_really, 2 ** 32 - 20, '(20 - 40) as unsigned int');
  const at40 = deriveThresholds(PRESETS['gnumach-1999'], { vm_page_free_reserved: 40 }, 5000).thresholds;
  assert.equal(at40.vm_pageout_reserved_really, 0, 'no wrap at the constant itself');
  assert.equal(deriveThresholds(PRESETS['cmu-1987'], { vm_page_free_reserved: 8 }, 5000).thresholds.vm_pageout_reserved_really, 2 ** 32 - 2);
  assert.equal(deriveThresholds(PRESETS['gnumach-2014'], { vm_page_free_reserved: 300 }, 50000).thresholds.vm_pageout_reserved_really, 2 ** 32 - 100);
});

test('with reserved_internal wrapped, every dirty file page is double-paged, as in Mach', () => {
  // double-paging.yaml: one task writing a file, so every dirty page S14 meets is external.
  // Each is sent twice: double-paged to the default pager (inactive_double), then sent again from
  // the default pager's object when the scan meets it at the inactive head (both count as dirty).
  const scenario = applyOverrides(loadScenario('double-paging'), { set: { vm_page_free_reserved: 20, vm_pageout_reserved_internal: 0 } });
  const r = runScenario(scenario);
  assert.equal(r.outcome, 'completed', r.outcomeDetail);
  assert.equal(r.thresholds.vm_pageout_reserved_internal, 2 ** 32 - 5);
  const { vm_pageout_inactive_dirty: dirty, vm_pageout_inactive_double: double } = r.pageoutCounters;
  assert.ok(double > 0);
  assert.equal(2 * double, dirty, 'no dirty file page went to the file pager directly');
  assert.equal(r.integrity.lostWrites, 0);
});

test('thresholds come from the free count when the daemon starts, not total memory', () => {
  const sim = createSimulation(makeScenario({ pages: 32768, machine: { bootWiredPages: 2768 }, tasks: [] }));
  const r = sim.result();
  assert.equal(r.thresholds.vm_page_free_min, 359);
  assert.equal(r.thresholds.vm_page_free_target, 439);
});

test('a tunable plays the part of a variable patched before boot', () => {
  const t = deriveThresholds(PRESETS['gnumach-1999'], { vm_page_free_target: 1000, vm_pageout_burst_max: 4 }, 30000);
  assert.equal(t.thresholds.vm_page_free_target, 1000);
  assert.equal(t.daemon.burstMax, 4);
});

test('memory too small for the preset is an input error naming the field', () => {
  assert.throws(() => createSimulation(makeScenario({ pages: 100, tasks: [] })), {
    name: 'InputError',
    message: 'scenario machine.memory: expected at least 250 pages for preset gnumach-1999 (free_reserved 50, 0 boot-wired pages), got 100 pages',
  });
});
