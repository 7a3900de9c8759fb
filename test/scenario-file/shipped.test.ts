/**
 * The shipped scenarios: every one parses, and each shows the behaviour it is shipped for, in
 * counters a user would notice (scenarios/README.md has the numbers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../src/kernel/index.js';
import type { RunResult } from '../../src/kernel/result.js';
import { runCsvRow } from '../../src/report/rows.js';
import { formatRunSummary } from '../../src/report/summary.js';
import { applyOverrides } from '../../src/workload/overrides.js';
import { listShippedScenarios, loadScenario } from '../../src/workload/scenario-file.js';

interface Traffic {
  /** pages sent to each pager, and pages read back from each */
  out: { default: number; file: number };
  in: { default: number; file: number };
}
const results = new Map<string, RunResult & { traffic: Traffic }>();
/** Each shipped scenario runs once per test file, whatever the number of tests reading it. */
function run(name: string): RunResult & { traffic: Traffic } {
  let r = results.get(name);
  if (r === undefined) {
    const traffic: Traffic = { out: { default: 0, file: 0 }, in: { default: 0, file: 0 } };
    const result = runScenario(loadScenario(name), {
      onEvent: (e) => {
        if (e.type === 'pageout') traffic.out[e.to]++;
        else if (e.type === 'pagein') traffic.in[e.from]++;
      },
    });
    r = { ...result, traffic };
    results.set(name, r);
  }
  return r;
}

function task(r: RunResult, name: string): RunResult['tasks'][number] {
  const t = r.tasks.find((x) => x.name === name);
  assert.ok(t, `task ${name} in ${r.scenario}`);
  return t;
}

test('every shipped scenario parses and has a description', () => {
  const shipped = listShippedScenarios();
  assert.deepEqual(shipped.map((s) => s.name), ['default', 'double-paging', 'new-file', 'scan', 'too-small']);
  for (const s of shipped) {
    const scenario = loadScenario(s.name);
    assert.equal(scenario.name, s.name);
    assert.ok(s.description.length > 20, `${s.name} has a description`);
    assert.ok(scenario.tasks.length > 0);
  }
});

test('no name loads the embedded default: real traces, code from file-backed text objects', () => {
  const scenario = loadScenario();
  assert.equal(scenario.name, 'default');
  assert.deepEqual(scenario.tasks.map((t) => t.name), ['cc1', 'sort']);
  for (const t of scenario.tasks) {
    assert.deepEqual(t.unmapped, { instruction: { kind: 'file', file: `${t.name}.text`, offsetPages: 0 }, data: { kind: 'anonymous' } });
    const source = t.source();
    try {
      assert.match(source.description, /traces\/(cc1|sort)\.pgt\.gz$/);
      assert.ok((source.totalRefs ?? 0) > 10_000_000, `${t.name} is a real program's trace`);
    } finally {
      source.close();
    }
  }
});

test('default: both programs run to the end at once; anonymous pages go out to the default pager and come back', () => {
  const r = run('default');
  assert.equal(r.outcome, 'completed');
  assert.equal(r.truncated, false);
  const cc1 = task(r, 'cc1');
  const sort = task(r, 'sort');
  assert.equal(cc1.references, 83_928_608);
  assert.equal(sort.references, 16_895_040);
  // sort starts at 50 ms and ends while cc1 is still running: they competed for memory
  assert.ok(sort.finishedNs !== null && cc1.finishedNs !== null && sort.finishedNs < cc1.finishedNs);
  assert.ok(r.vmStat.pageouts > 100, `pageouts ${r.vmStat.pageouts}`);
  assert.ok(r.pageoutCounters.vm_pageout_inactive_dirty > 100);
  assert.equal(r.traffic.out.default, r.vmStat.pageouts, 'every pageout went to the default pager (the data is anonymous)');
  assert.ok(r.traffic.in.default > 50, `pages read back from the default pager: ${r.traffic.in.default}`);
  assert.ok(r.traffic.in.file > 1_000, 'code pages read from the programs\' text files');
  assert.ok(r.vmStat.reactivations > 0);
  assert.equal(r.integrity.lostWrites, 0);
});

test('scan: a sequential scan flushes the hot set unless deactivate-behind protects it', () => {
  const flushed = run('scan');
  assert.equal(flushed.outcome, 'completed');
  const hot = task(flushed, 'hot');
  // 1,000 first-touch faults, then the set is faulted back in again after the scan pushed it out
  assert.ok(hot.faults > 3_000, `hot-set faults with the scan: ${hot.faults}`);
  assert.ok(flushed.vmStat.pageouts > 500, 'dirty hot pages were paged out');

  const protectedRun = runScenario(applyOverrides(loadScenario('scan'), { set: { deactivateBehind: 'true' } }));
  assert.equal(task(protectedRun, 'hot').faults, 1_000, 'with deactivate-behind the hot set only faults once');
  assert.equal(protectedRun.vmStat.pageouts, 0);
  assert.ok(task(protectedRun, 'hot').finishedNs! < hot.finishedNs!);
});

test('double-paging: dirty file pages go to the default pager when free memory is below reserved_internal', () => {
  const r = run('double-paging');
  assert.equal(r.outcome, 'completed');
  assert.ok(r.pageoutCounters.vm_pageout_inactive_double > 1_000, `double ${r.pageoutCounters.vm_pageout_inactive_double}`);
  assert.equal(r.doublePaged, r.pageoutCounters.vm_pageout_inactive_double);
  // double-paged pages went to the default pager and came back from it on their next fault
  assert.equal(r.traffic.out.default, r.doublePaged);
  assert.equal(r.traffic.in.default, r.doublePaged);
  assert.ok(r.traffic.out.file > 0, 'the rest went to the file pager');
  assert.equal(r.integrity.lostWrites, 0);
  // the seed's own reserved_internal (reserve − 25) is never crossed in this model
  const seedDefault = runScenario(applyOverrides(loadScenario('double-paging'), { set: { vm_pageout_reserved_internal: 0 } }));
  assert.equal(seedDefault.thresholds.vm_pageout_reserved_internal, 25);
  assert.equal(seedDefault.pageoutCounters.vm_pageout_inactive_double, 0);
});

test('too-small: the default programs thrash on 1 MiB but the kernel survives', () => {
  const small = run('too-small');
  const roomy = run('default');
  assert.equal(small.outcome, 'completed');
  assert.equal(small.totalPages, 256);
  assert.ok(small.vmStat.faults > 8 * roomy.vmStat.faults, `faults ${small.vmStat.faults} vs ${roomy.vmStat.faults}`);
  assert.ok(small.simulatedTimeNs > 8 * roomy.simulatedTimeNs, 'the same work takes many times longer');
  assert.ok(small.vmStat.reactivations > 10 * roomy.vmStat.reactivations / 2);
  assert.equal(small.integrity.lostWrites, 0);
});

test('new-file: writing a new file pushes external_count over its target; the faithful seed livelocks (B1, then B2), the fixed one completes', () => {
  const r = run('new-file');
  assert.equal(r.outcome, 'livelock');
  assert.match(r.outcomeDetail, /want_pages false, external_count \d+ > external_target \d+/);
  assert.deepEqual(r.defects.map((d) => d.defect), ['B1', 'B2']);
  const fixed = runScenario(applyOverrides(loadScenario('new-file'), { fixes: 'all' }));
  assert.equal(fixed.outcome, 'completed');
  assert.equal(fixed.integrity.lostWrites, 0);
  assert.ok(fixed.pageoutCounters.vm_pageout_inactive_dirty > 0);
  // B1's fix is what saved it (the walk met B1's condition and followed the queue): the summary says
  // so, and does not call B1 a defect the run suffered
  assert.deepEqual(fixed.defects.map((d) => [d.defect, d.fixed]), [['B1', true]]);
  assert.match(formatRunSummary(fixed).split('\n')[0]!, / · defects hit: B1 \(fixed\)$/);
  assert.match(formatRunSummary(r).split('\n')[0]!, / · defects hit: B1, B2$/);
  assert.equal(runCsvRow(fixed)['defects.B1'], 0, 'the CSV counts the hits the defect acted on');
  assert.equal(runCsvRow(r)['defects.B1'], 1);
});
