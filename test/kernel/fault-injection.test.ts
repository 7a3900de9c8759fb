/** Injected pager errors: the only way a run may lose data, and then the loss is attributed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../src/kernel/index.js';
import { formatRunSummary } from '../../src/report/summary.js';
import { runCsvRow } from '../../src/report/rows.js';
import { makeScenario } from './fixtures.js';

const workload = { generator: { kind: 'loop', pages: 400, iterations: 3, writeFraction: 1 } } as const;

test('a default pager whose writes fail: the data is lost on purpose, the task gets a memory error, no silent lost write', () => {
  const r = runScenario(makeScenario({ pages: 300, diskNs: 1_000_000, writeErrorRate: 1, tasks: [workload] }));
  assert.equal(r.outcome, 'completed');
  assert.ok(r.integrity.lostWritesFromInjectedErrors > 0);
  assert.equal(r.integrity.lostWrites, 0, 'every loss is attributed to the injected errors');
  assert.match(r.tasks[0]!.error ?? '', /^memory error: the pager answered data_error for page 0x[0-9a-f]+$/);
  assert.ok(r.tasks[0]!.references < 1200, 'the task was killed before the end of its stream');

  // a killed task must not read as one that finished: the summary and the CSV say so, and why
  const summary = formatRunSummary(r);
  assert.match(summary, /^outcome: completed \(a task was killed: see tasks\)$/m);
  assert.match(summary, /^  \S+\s+[\d,]+\s+[\d,]+\s+[\d,]+\s+killed at [\d.]+ ms  0$/m);
  assert.match(summary, /^  \S+ was killed: memory error: the pager answered data_error for page 0x[0-9a-f]+$/m);
  const tasks = JSON.parse(String(runCsvRow(r)['tasks']));
  assert.equal(tasks[0].error, r.tasks[0]!.error);
});

test('without injected errors the same workload keeps every write', () => {
  const r = runScenario(makeScenario({ pages: 300, diskNs: 1_000_000, tasks: [workload] }));
  assert.equal(r.integrity.lostWritesFromInjectedErrors, 0);
  assert.equal(r.integrity.lostWrites, 0);
  assert.equal(r.tasks[0]!.references, 1200);
  assert.equal(r.tasks[0]!.error, undefined);
  assert.ok(r.vmStat.pageouts > 0 && r.vmStat.pageins > 0);
});
