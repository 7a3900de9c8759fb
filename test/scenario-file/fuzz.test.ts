/**
 * Garbled scenario files: whatever the bytes, parsing ends in a Scenario or in InputErrors whose
 * every message names the file — never another exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { InputErrors } from '../../src/errors.js';
import { SCENARIOS_DIR, listShippedScenarios, parseScenarioText } from '../../src/workload/scenario-file.js';

const texts = listShippedScenarios().map((s) => readFileSync(s.path, 'utf8'));
const FILE = 'fuzzed.yaml';

function parsesOrExplains(text: string): void {
  try {
    parseScenarioText(text, FILE, SCENARIOS_DIR);
  } catch (e) {
    if (!(e instanceof InputErrors)) throw e;
    assert.ok(e.errors.length > 0);
    for (const err of e.errors) {
      assert.ok(err.message.startsWith(FILE) || err.message.startsWith(SCENARIOS_DIR), `names the file: ${err.message}`);
      assert.ok(!err.message.includes('undefined'), `no 'undefined' in: ${err.message}`);
    }
  }
}

/** One edit of a text: a character replaced, inserted or deleted, or a line dropped or doubled. */
const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4 }), fc.constantFrom(...' :-[]{},#&*!|>%0123456789abz\n\t\'"'));

function apply(text: string, [at, kind, ch]: [number, number, string]): string {
  const i = text.length === 0 ? 0 : at % text.length;
  const lines = text.split('\n');
  const line = lines.length === 0 ? 0 : at % lines.length;
  switch (kind) {
    case 0: return text.slice(0, i) + ch + text.slice(i + 1);
    case 1: return text.slice(0, i) + ch + text.slice(i);
    case 2: return text.slice(0, i) + text.slice(i + 1);
    case 3: return lines.filter((_, k) => k !== line).join('\n');
    default: return [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n');
  }
}

test('mutated shipped scenarios parse or fail with located InputErrors', () => {
  fc.assert(
    fc.property(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 8 }), (text, edits) => {
      parsesOrExplains(edits.reduce(apply, text));
    }),
    { numRuns: 300 },
  );
});

test('random text and random YAML values parse or fail with located InputErrors', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => parsesOrExplains(text)), { numRuns: 300 });
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
      fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'tasks', 'machine', 'memory', 'generator', 'kind', 'trace', 'regions', 'start', 'pages', 'pagers', 'default', 'faults', 'x'), tie('any'), { maxKeys: 4 })),
  })).any;
  fc.assert(fc.property(value, (v) => parsesOrExplains(JSON.stringify(v))), { numRuns: 300 });
});
