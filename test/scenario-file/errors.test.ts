/**
 * Bad scenario files: every problem is reported at once, each naming the file, the line, the
 * field and what was expected — the exact text users read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputErrors } from '../../src/errors.js';
import { loadScenario, loadScenarioFile, parseScenarioText } from '../../src/workload/scenario-file.js';
import { createSimulation } from '../../src/kernel/index.js';

const GOOD_TASK = `tasks:
  - generator: { kind: loop, pages: 64, iterations: 2 }
`;

/** The messages parseScenarioText throws for `text` (it must throw InputErrors). */
function messages(text: string, file = 'scenarios/bad.yaml', baseDir = tmpdir()): string[] {
  try {
    parseScenarioText(text, file, baseDir);
  } catch (e) {
    assert.ok(e instanceof InputErrors, `expected InputErrors, got ${String(e)}`);
    return e.errors.map((x) => x.message);
  }
  assert.fail('the scenario was accepted');
}

test('an unknown key names its line and the keys that are allowed', () => {
  assert.deepEqual(messages(`machine:\n  memory: 64MiB\n  cpuPerRef: 10ns\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:3 machine.cpuPerRef: expected one of the keys memory, pageSize, hz, cpuPerReference, faultCost, quantum, bootWired, got unknown key 'cpuPerRef'",
  ]);
  assert.deepEqual(messages(`${GOOD_TASK}    regoins: []\n`), [
    "scenarios/bad.yaml:3 tasks[0].regoins: expected one of the keys name, start, trace, format, csv, skipRefs, maxRefs, generator, seed, cpuPerReference, regions, unmapped, got unknown key 'regoins'",
  ]);
  assert.match(messages(`colour: blue\n${GOOD_TASK}`)[0]!, /^scenarios\/bad\.yaml:1 colour: expected one of the keys name, description, seed, preset, tunables, fixes, options, machine, pagers, files, maxTime, tasks, got unknown key 'colour'$/);
  assert.match(messages(`tunables:\n  vm_page_free_targt: 5\n${GOOD_TASK}`)[0]!, /^scenarios\/bad\.yaml:2 tunables\.vm_page_free_targt: expected one of the keys vm_pageout_burst_max, .*vm_page_external_target, got unknown key 'vm_page_free_targt'$/);
});

test('wrong types and bad units say what was expected and what was found', () => {
  assert.deepEqual(messages(`machine:\n  memory: lots\n  hz: -1\n  pageSize: 3000\n  quantum: 0\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:2 machine.memory: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got 'lots'",
    'scenarios/bad.yaml:3 machine.hz: expected a whole number from 1 to 100000, got -1',
    'scenarios/bad.yaml:4 machine.pageSize: expected a power of two from 512 to 1048576 bytes such as 4096 or 4KiB, got 3000',
    'scenarios/bad.yaml:5 machine.quantum: expected a duration above 0, got 0',
  ]);
  assert.deepEqual(messages(`machine: 64MiB\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:1 machine: expected a machine with the keys memory, pageSize, hz, cpuPerReference, faultCost, quantum, bootWired, got '64MiB'",
  ]);
  assert.deepEqual(messages(`maxTime: soon\npagers:\n  default: { perPage: 1ms, bandwidth: 1MB/s }\n  file: { bandwidth: fast, faults: { writeErrorRate: 2 } }\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:1 maxTime: expected a duration such as 5ms, 200us, 1.5s or a number of nanoseconds, got 'soon'",
    "scenarios/bad.yaml:3 pagers.default.bandwidth: expected either 'perPage' or 'bandwidth', not both, got both",
    "scenarios/bad.yaml:4 pagers.file.bandwidth: expected a bandwidth such as 40MB/s or 100MiB/s (or bytes per second), got 'fast'",
    'scenarios/bad.yaml:4 pagers.file.faults.writeErrorRate: expected a fraction from 0 to 1 or a percentage such as 25%, got 2',
  ]);
  assert.deepEqual(messages(`preset: linux\nfixes: [B1, B4]\noptions: { pmapCollect: maybe }\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:1 preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'linux'",
    "scenarios/bad.yaml:2 fixes: expected defect names among B1, B2, B3 (or all / none), got 'B4'",
    "scenarios/bad.yaml:3 options.pmapCollect: expected true or false, got 'maybe'",
  ]);
  // an empty scalar is a lost value, as `--fix ""` is; only the empty list says none
  assert.deepEqual(messages(`fixes: ""\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:1 fixes: expected defect names among B1, B2, B3 (or all / none), got ''",
  ]);
  assert.deepEqual(parseScenarioText(`fixes: []\n${GOOD_TASK}`, 'scenarios/good.yaml', tmpdir()).fixes, { B1: false, B2: false, B3: false });
  assert.deepEqual(parseScenarioText(`fixes: B1,B3\n${GOOD_TASK}`, 'scenarios/good.yaml', tmpdir()).fixes, { B1: true, B2: false, B3: true });
});

test('tasks: a missing trace file, a bad generator and bad regions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-scenario-'));
  try {
    const text = `tasks:
  - trace: traces/nope.pgt
  - generator: { kind: zipf, pages: 10 }
  - generator: { kind: loop, pages: 10 }
  - generator: { kind: uniform, pages: 4MiB, references: 100, hotPages: 3 }
    regions:
      - { start: 0x1001, pages: 2 }
      - { start: 0, size: 8KiB, backing: file }
      - { start: 1, pages: 4, writable: maybe }
      - { start: 0x10000, size: 1MiB }
      - { start: 0x10000, pages: 1 }
  - name: t
    trace: traces/nope.pgt
    generator: { kind: loop, pages: 1, iterations: 1 }
  - start: 1ms
`;
    assert.deepEqual(messages(text, 'bad.yaml', dir), [
      `bad.yaml:2 tasks[0].trace: expected an existing trace file (a relative path starts at the scenario file's directory), got 'traces/nope.pgt', and ${join(dir, 'traces/nope.pgt')} does not exist`,
      "bad.yaml:3 tasks[1].generator.kind: expected a generator kind (sequential, loop, uniform, hotset, phases), got 'zipf'",
      "bad.yaml:4 tasks[2].generator.iterations: expected a value for 'iterations' (a 'loop' generator needs it), got none",
      "bad.yaml:5 tasks[3].generator.hotPages: expected a field of a 'uniform' generator (kind, pages, references, writeFraction, startPage), got 'hotPages'",
      'bad.yaml:7 tasks[3].regions[0].start: expected a page-aligned hex byte address such as 0x400000, or a page number (a multiple of the 4096-byte page), got 0x1001',
      "bad.yaml:8 tasks[3].regions[1].backing: expected 'anonymous', 'file:NAME' or a mapping { file: NAME, offset: SIZE }, got 'file'",
      "bad.yaml:9 tasks[3].regions[2].writable: expected true or false, got 'maybe'",
      "bad.yaml:11 tasks[3].regions[4]: expected a region clear of region 'region3' (pages 16–271), got one starting at page 16",
      "bad.yaml:14 tasks[4].generator: expected either a 'trace' or a 'generator', not both, got both",
      "bad.yaml:15 tasks[5]: expected a 'trace' (a file) or a 'generator', got neither",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace file that is not a trace is reported with the trace\'s own location', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-scenario-'));
  try {
    writeFileSync(join(dir, 'empty.pgt'), '');
    const [message] = messages('tasks:\n  - trace: empty.pgt\n', 'x.yaml', dir);
    assert.equal(message, `${join(dir, 'empty.pgt')}: expected a compact trace, got an empty file`);
    // a CSV without an offset column: the way out a scenario has is converting it first
    writeFileSync(join(dir, 'cols.csv'), 'foo,bar,baz\n1,2,3\n');
    const [csv] = messages('tasks:\n  - trace: cols.csv\n', 'x.yaml', dir);
    assert.match(csv!, /cols\.csv:1 csv offset: expected a header with an offset column \(.*\) or tasks\[0\]\.csv offset=NAME, got 'foo,bar,baz'$/);
    // a format the scenario gives is named as the scenario gives it, not as a flag never typed
    writeFileSync(join(dir, 'ids.lirs'), '1\n2\n3\n');
    const [wrong] = messages('tasks:\n  - trace: ids.lirs\n    format: lackey\n', 'x.yaml', dir);
    assert.equal(wrong, `${join(dir, 'ids.lirs')}:1: expected a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message'), got '1' (the file looks like lirs, but tasks[0].format: lackey was given)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace where a scenario goes, and a file that is not YAML at all: one line each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-scenario-'));
  try {
    const trace = join(dir, 'ids.lirs');
    writeFileSync(trace, '1\n2\n3\n');
    assert.throws(() => loadScenarioFile(trace), (e: unknown) => {
      assert.deepEqual((e as InputErrors).errors.map((x) => x.message), [
        `${trace}: expected a scenario (YAML); to run a trace, name it in a scenario's tasks[].trace, or replay it with pageout compare, got a lirs trace`,
      ]);
      return true;
    });
    const prose = join(dir, 'notes.yaml');
    writeFileSync(prose, 'A title: with a colon\n`quoted`: text, more: text\n- a list: [unclosed\n| a | table |\n');
    assert.throws(() => loadScenarioFile(prose), (e: unknown) => {
      const lines = (e as InputErrors).errors.map((x) => x.message);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0]!, /^.*notes\.yaml:\d+: expected valid YAML, got .* \(and \d+ more YAML errors? after it\)$/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('YAML syntax errors, empty files and missing tasks', () => {
  assert.deepEqual(messages('machine:\n  memory: [64MiB\ntasks: []\n'), [
    'scenarios/bad.yaml:3: expected valid YAML, got Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  assert.deepEqual(messages(''), ['scenarios/bad.yaml:1: expected a scenario: a mapping with at least a tasks list, got an empty file']);
  assert.deepEqual(messages('name: x\n'), ["scenarios/bad.yaml:1: expected a key 'tasks', got none"]);
  assert.deepEqual(messages('tasks: []\n'), ['scenarios/bad.yaml:1 tasks: expected at least one task, got an empty list']);
  assert.deepEqual(messages(`${GOOD_TASK}  - name: loop\n    generator: { kind: loop, pages: 1, iterations: 1 }\n`), [
    "scenarios/bad.yaml:3 tasks[1]: expected task names that differ, got a second task named 'loop'",
  ]);
  assert.deepEqual(messages(`files:\n  - { name: out.dat, size: 0 }\n  - { name: out.dat, size: 10MiB }\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:3 files[1].name: expected file names that differ, got a second file named 'out.dat'",
  ]);
});

test('a missing scenario file and an unknown shipped name', () => {
  assert.throws(() => loadScenarioFile('/nonexistent/x.yaml'), { message: '/nonexistent/x.yaml: expected a readable scenario file, got no such file' });
  assert.throws(() => loadScenario('no-such-scenario'), /^InputErrors: command line scenario: expected a shipped scenario \(.*default.*\) or the path of a \.yaml file, got 'no-such-scenario'$/);
});

test('files: sizes of files at the start; bad entries name their line', () => {
  assert.deepEqual(messages(`files:\n  - { name: out }\n  - { name: log, size: lots }\n${GOOD_TASK}`), [
    "scenarios/bad.yaml:2 files[0]: expected a key 'size', got none",
    "scenarios/bad.yaml:3 files[1].size: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got 'lots'",
  ]);
});

test('a machine larger than the model holds names the line of machine.memory', () => {
  const s = parseScenarioText(`machine:\n  memory: 17GiB\n${GOOD_TASK}`, 'scenarios/big.yaml', '.');
  assert.throws(() => createSimulation(s), {
    message: 'scenarios/big.yaml:2 machine.memory: expected at most 4,194,304 pages (the model keeps a page structure per frame), got 4,456,448 pages',
  });
});

test('a machine too small for its preset names the line of machine.memory', () => {
  const s = parseScenarioText(`machine:\n  memory: 120\nfiles:\n  - { name: out, size: 0 }\n${GOOD_TASK}`, 'scenarios/small.yaml', '.');
  assert.deepEqual(s.files, [{ name: 'out', sizePages: 0 }]);
  assert.throws(() => createSimulation(s), {
    message: 'scenarios/small.yaml:2 machine.memory: expected at least 250 pages for preset gnumach-1999 (free_reserved 50, 0 boot-wired pages), got 120 pages',
  });
});
