/**
 * A valid scenario file resolves to the kernel's Scenario with units converted, defaults filled
 * in and streams that can be opened twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MACHINE, DEFAULT_OPTIONS, RefBatch, REF_WRITE } from '../../src/kernel/index.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { parseScenarioText, reseedScenario } from '../../src/workload/scenario-file.js';
import { parseScenario, type ScenarioFiles } from '../../src/workload/scenario-text.js';
import { openTraceBytes } from '../../src/workload/trace/bytes.js';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-resolve-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function drain(open: () => { read(b: RefBatch): number; close(): void }): { pages: number[]; writes: number } {
  const s = open();
  const batch = new RefBatch(64);
  const pages: number[] = [];
  let writes = 0;
  for (let n = s.read(batch); n > 0; n = s.read(batch)) {
    for (let i = 0; i < n; i++) {
      pages.push(batch.page[i]!);
      if (batch.flags[i]! & REF_WRITE) writes++;
    }
  }
  s.close();
  return { pages, writes };
}

test('units, defaults and sections resolve to the kernel\'s shapes', () => {
  const s = parseScenarioText(`
description: all the sections
seed: 9
preset: cmu-1987
tunables: { vm_page_free_target: 1MiB, vm_pageout_burst_wait: 30ms, vm_pageout_burst_max: 16 }
fixes: all
options: { pmapCollect: true }
machine: { memory: 32MiB, pageSize: 8KiB, cpuPerReference: 2.5ns, faultCost: 3us, quantum: 50ms, bootWired: 1MiB }
pagers:
  default: { readLatency: 1ms, writeLatency: 2ms, bandwidth: 80MB/s, faults: { readErrorRate: 1% } }
  file: { perPage: 50us, neverDeallocate: true }
maxTime: 1.5s
tasks:
  - generator: { kind: uniform, pages: 256KiB, references: 100, writeFraction: 0.5 }
    start: 10ms
    regions:
      - { name: text, start: 0x400000, pages: 16, backing: file:prog, writable: false }
      - { start: 1024, size: 64KiB, backing: { file: data, offset: 16KiB } }
`, 'inline.yaml', tmpdir());
  assert.equal(s.name, 'inline');
  assert.equal(s.description, 'all the sections');
  assert.equal(s.seed, 9);
  assert.equal(s.preset, 'cmu-1987');
  assert.deepEqual(s.tunables, { vm_page_free_target: 128, vm_pageout_burst_wait: 30, vm_pageout_burst_max: 16 });
  assert.deepEqual(s.fixes, { B1: true, B2: true, B3: true });
  assert.deepEqual(s.options, { ...DEFAULT_OPTIONS, pmapCollect: true });
  assert.deepEqual(s.machine, { ...DEFAULT_MACHINE, memoryPages: 4096, pageSize: 8192, cpuNsPerRef: 3, faultNs: 3000, quantumNs: 50e6, bootWiredPages: 128 });
  assert.deepEqual(s.pagers.default, { disk: { readLatencyNs: 1e6, writeLatencyNs: 2e6, perPageNs: 102_400 }, faults: { writeErrorRate: 0, readErrorRate: 0.01 }, neverDeallocate: false });
  assert.deepEqual(s.pagers.file, { disk: { readLatencyNs: 5e6, writeLatencyNs: 5e6, perPageNs: 50_000 }, faults: { writeErrorRate: 0, readErrorRate: 0 }, neverDeallocate: true });
  assert.equal(s.maxSimNs, 1.5e9);
  const [task] = s.tasks;
  assert.equal(task!.name, 'uniform');
  assert.equal(task!.startNs, 10e6);
  assert.deepEqual(task!.regions, [
    { name: 'text', startPage: 0x400000 / 8192, pages: 16, backing: { kind: 'file', file: 'prog', offsetPages: 0 }, writable: false },
    { name: 'region1', startPage: 1024, pages: 8, backing: { kind: 'file', file: 'data', offsetPages: 2 }, writable: true },
  ]);
  assert.deepEqual(task!.unmapped, { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } });
  // a generator over 32 pages, seeded by the scenario: the same stream every time it is opened
  const a = drain(task!.source);
  assert.deepEqual(drain(task!.source), a);
  assert.equal(a.pages.length, 100);
  assert.ok(a.pages.every((p) => p >= 0 && p < 32));
  assert.ok(a.writes > 20 && a.writes < 80);
});

test('generator tasks get seed + index unless they set one; tasks differ', () => {
  const s = parseScenarioText(`
seed: 5
tasks:
  - { name: a, generator: { kind: uniform, pages: 1000, references: 50 } }
  - { name: b, generator: { kind: uniform, pages: 1000, references: 50 } }
  - { name: c, seed: 5, generator: { kind: uniform, pages: 1000, references: 50 } }
`, 'x.yaml', tmpdir());
  const [a, b, c] = s.tasks.map((t) => drain(t.source).pages);
  assert.notDeepEqual(a, b);
  assert.deepEqual(a, c);
});

test('a trace task: path relative to the file, page size checked, code from <task>.text', () => {
  withDir((dir) => {
    const w = new CompactTraceWriter(join(dir, 'prog.pgt'), { pageSize: 4096, description: 'test', command: ['prog'] });
    w.ref(3, 0, 2);
    w.ref(5, REF_WRITE, 1);
    w.close();
    const s = parseScenarioText('tasks:\n  - trace: prog.pgt\n', join(dir, 'x.yaml'), dir);
    assert.equal(s.tasks[0]!.name, 'prog');
    assert.deepEqual(s.tasks[0]!.unmapped, { instruction: { kind: 'file', file: 'prog.text', offsetPages: 0 }, data: { kind: 'anonymous' } });
    assert.deepEqual(drain(s.tasks[0]!.source), { pages: [3, 5], writes: 1 });
    assert.throws(() => parseScenarioText('machine: { pageSize: 8KiB }\ntasks:\n  - trace: prog.pgt\n', 'y.yaml', dir), {
      message: "y.yaml:3 tasks[0].trace: expected a trace in 8192-byte pages like machine.pageSize, got 'prog.pgt' in 4096-byte pages",
    });
  });
});

test('a trace task\'s skipRefs and maxRefs run a slice of it, cut in references; a generator has neither', () => {
  withDir((dir) => {
    const w = new CompactTraceWriter(join(dir, 'prog.pgt'), { pageSize: 4096, description: 'test' });
    w.ref(3, 0, 4); // references 0–3
    w.ref(5, REF_WRITE, 1); // 4
    w.ref(7, 0, 3); // 5–7
    w.close();
    const slice = (keys: string) => drain(parseScenarioText(`tasks:\n  - trace: prog.pgt\n${keys}`, join(dir, 'x.yaml'), dir).tasks[0]!.source).pages;
    assert.deepEqual(slice('    skipRefs: 2\n    maxRefs: 4\n'), [3, 5, 7]);
    assert.deepEqual(slice('    skipRefs: 5\n'), [7]);
    assert.deepEqual(slice('    maxRefs: 1\n'), [3]);
    const bad = (keys: string) => assert.throws(() => slice(keys));
    bad('    maxRefs: 0\n');
    assert.throws(() => parseScenarioText('tasks:\n  - trace: prog.pgt\n    maxRefs: 0\n    skipRefs: -2\n', join(dir, 'x.yaml'), dir), {
      message: /^.*x\.yaml:3 tasks\[0\]\.maxRefs: expected a whole number ≥ 1, got 0\n.*x\.yaml:4 tasks\[0\]\.skipRefs: expected a whole number ≥ 0, got -2$/s,
    });
    assert.throws(() => parseScenarioText('tasks:\n  - generator: { kind: loop, pages: 4, iterations: 2 }\n    maxRefs: 3\n', 'g.yaml', dir), {
      message: "g.yaml:3 tasks[0].maxRefs: expected 'maxRefs' only with a 'trace', got a 'generator'",
    });
    // skipping the whole trace: a compact trace says its length, so the file is refused at once;
    // a text trace only when the run reads that far. Both name the scenario's line.
    assert.throws(() => parseScenarioText('tasks:\n  - trace: prog.pgt\n    skipRefs: 8\n', join(dir, 'x.yaml'), dir), {
      message: `${join(dir, 'x.yaml')}:3 tasks[0].skipRefs: expected fewer references than ${join(dir, 'prog.pgt')} holds (8), got '8'`,
    });
    writeFileSync(join(dir, 'ids.lirs'), '1\n2\n3\n');
    const past = parseScenarioText('tasks:\n  - trace: ids.lirs\n    skipRefs: 3\n', join(dir, 'y.yaml'), dir);
    assert.throws(() => drain(past.tasks[0]!.source), {
      message: `${join(dir, 'y.yaml')}:3 tasks[0].skipRefs: expected fewer references than ${join(dir, 'ids.lirs')} holds (3), got '3'`,
    });
  });
});

test('a trace task\'s csv key gives a headerless CSV its columns, as inspect --csv does; a bad one is reported at its line', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'blk.csv'), '0,4096,R\n8,4096,W\n16,8192,R\n');
    const parse = (keys: string) => parseScenarioText(`tasks:\n  - trace: blk.csv\n${keys}`, join(dir, 'x.yaml'), dir);
    // 512-byte sectors: offsets 0, 8 and 16 are bytes 0, 4096 and 8192; the last is two pages long
    const s = parse('    csv: offset=0,length=1,op=2,unit=512,header=no,read=R,write=W\n');
    assert.deepEqual(drain(s.tasks[0]!.source), { pages: [0, 1, 2, 3], writes: 1 });
    assert.throws(() => parse(''), {
      message: `${join(dir, 'blk.csv')}:1 csv offset: expected a header naming the offset column, or the offset column given (tasks[0].csv offset=N), got '0,4096,R'`,
    });
    assert.throws(() => parse('    csv: offset=0,unit=sectors\n'), {
      message: `${join(dir, 'x.yaml')}:3 tasks[0].csv unit: expected bytes, id or a number of bytes per offset unit, got 'sectors'`,
    });
    assert.throws(() => parseScenarioText('tasks:\n  - generator: { kind: loop, pages: 4, iterations: 2 }\n    csv: offset=0\n', 'g.yaml', dir), {
      message: "g.yaml:3 tasks[0].csv: expected 'csv' only with a 'trace', got a 'generator'",
    });
  });
});

test('the parser reaches traces only through the ScenarioFiles it is given (as the browser worker gives it memory)', () => {
  withDir((dir) => {
    const w = new CompactTraceWriter(join(dir, 'prog.pgt'), { pageSize: 4096, description: 'test', command: ['prog'] });
    w.ref(7, REF_WRITE, 3);
    w.ref(9, 0, 1);
    w.close();
    const held = new Map([['/mem/traces/prog.pgt', readFileSync(join(dir, 'prog.pgt'))]]);
    const asked: string[] = [];
    const memory: ScenarioFiles = {
      locate: (path) => `/mem/${path}`.replace(/\/[^/]+\/\.\.\//g, '/'),
      exists: (file) => (asked.push(file), held.has(file)),
      openTrace: (file, options) => openTraceBytes(held.get(file)!, file, options),
    };
    const text = 'tasks:\n  - trace: sub/../traces/prog.pgt\n';
    const s = parseScenario(text, 'm.yaml', memory);
    assert.deepEqual(asked, ['/mem/traces/prog.pgt']);
    assert.equal(s.tasks[0]!.name, 'prog');
    assert.deepEqual(drain(s.tasks[0]!.source), { pages: [7, 9], writes: 1 });
    // the same text over the disk names the same trace and gives the same task
    const onDisk = parseScenarioText('tasks:\n  - trace: prog.pgt\n', 'm.yaml', dir);
    assert.deepEqual(drain(onDisk.tasks[0]!.source), drain(s.tasks[0]!.source));
    assert.throws(() => parseScenario('tasks:\n  - trace: gone.pgt\n', 'm.yaml', memory), {
      message: "m.yaml:2 tasks[0].trace: expected an existing trace file (a relative path starts at the scenario file's directory), got 'gone.pgt', and /mem/gone.pgt does not exist",
    });
  });
});

test('memory as a share of the distinct pages the tasks touch', () => {
  const s = parseScenarioText(`
machine: { memory: 50% }
tasks:
  - { generator: { kind: sequential, pages: 400, passes: 1 } }
  - { generator: { kind: loop, pages: 200, iterations: 2 } }
`, 'x.yaml', tmpdir());
  assert.equal(s.machine.memoryPages, 300);
});

test('anchors and aliases: one pager description used twice', () => {
  const s = parseScenarioText(`
pagers:
  default: &disk { readLatency: 1ms, writeLatency: 1ms, perPage: 10us }
  file: *disk
tasks:
  - { generator: { kind: loop, pages: 10, iterations: 1 } }
`, 'x.yaml', tmpdir());
  assert.deepEqual(s.pagers.file, s.pagers.default);
  assert.equal(s.pagers.file.disk.perPageNs, 10_000);
});

test('reseedScenario re-seeds the generators that follow the scenario seed, and only those', () => {
  const text = `
seed: 5
tasks:
  - { name: a, generator: { kind: uniform, pages: 1000, references: 50 } }
  - { name: own, seed: 3, generator: { kind: uniform, pages: 1000, references: 50 } }
`;
  const s5 = parseScenarioText(text, 'x.yaml', tmpdir());
  const s9 = parseScenarioText(text.replace('seed: 5', 'seed: 9'), 'x.yaml', tmpdir());
  const r = reseedScenario(s5, 9);
  assert.equal(r.seed, 9);
  assert.deepEqual(drain(r.tasks[0]!.source), drain(s9.tasks[0]!.source));
  assert.notDeepEqual(drain(r.tasks[0]!.source), drain(s5.tasks[0]!.source));
  assert.equal(r.tasks[1], s5.tasks[1]);
  assert.deepEqual(drain(reseedScenario(r, 5).tasks[0]!.source), drain(s5.tasks[0]!.source));
});
