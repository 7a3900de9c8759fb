/** Random scenarios never lose a write and never break an invariant (checked after every step). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runScenario } from '../../src/kernel/index.js';
import type { GeneratorSpec } from '../../src/workload/generators.js';
import { makeScenario } from '../kernel/fixtures.js';

const generator: fc.Arbitrary<GeneratorSpec> = fc.oneof(
  fc.record({ kind: fc.constant('sequential' as const), pages: fc.integer({ min: 1, max: 400 }), passes: fc.integer({ min: 1, max: 3 }), writeFraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('uniform' as const), pages: fc.integer({ min: 1, max: 600 }), references: fc.integer({ min: 1, max: 1500 }), writeFraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('loop' as const), pages: fc.integer({ min: 1, max: 300 }), iterations: fc.integer({ min: 1, max: 4 }), writeFraction: fc.double({ min: 0, max: 1, noNaN: true }), startPage: fc.integer({ min: 0, max: 5000 }) }),
);

const task = fc.record({
  generator,
  file: fc.boolean(),
  startNs: fc.integer({ min: 0, max: 5_000_000 }),
});

test('random scenarios: invariants hold after every step, no write is lost, laundry drains', () => {
  fc.assert(
    fc.property(
      fc.array(task, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 260, max: 500 }),
      fc.constantFrom('gnumach-1999', 'cmu-1987') as fc.Arbitrary<'gnumach-1999' | 'cmu-1987'>,
      fc.integer({ min: 0, max: 80 }),
      (tasks, pages, preset, reservedInternal) => {
        const s = makeScenario({
          pages,
          preset,
          diskNs: 500_000,
          tunables: reservedInternal > 0 ? { vm_pageout_reserved_internal: reservedInternal } : {},
          tasks: tasks.map((t) => ({
            generator: t.generator,
            startNs: t.startNs,
            data: t.file ? { kind: 'file', file: 'shared', offsetPages: 0 } : { kind: 'anonymous' },
          })),
        });
        const r = runScenario(s);
        assert.equal(r.outcome, 'completed', r.outcomeDetail);
        assert.equal(r.integrity.lostWrites, 0);
        assert.equal(r.final.laundry, 0);
        const c = r.pageoutCounters;
        assert.equal(c.vm_pageout_inactive, c.vm_pageout_inactive_busy + c.vm_pageout_inactive_absent + c.vm_pageout_inactive_used +
          c.vm_pageout_inactive_cleaned_external + c.vm_pageout_inactive_clean + c.vm_pageout_inactive_dirty + r.selectionPauses);
      },
    ),
    { numRuns: 25, seed: 20261126 },
  );
});

test('the same scenario and seed give byte-identical results twice', () => {
  const make = () => makeScenario({
    pages: 300,
    seed: 7,
    tasks: [
      { generator: { kind: 'hotset', hotPages: 100, coldPages: 300, references: 6000, hotProbability: 0.7, scanEvery: 1000, scanLength: 100, writeFraction: 0.4 } },
      { generator: { kind: 'uniform', pages: 200, references: 4000, writeFraction: 0.5 }, data: { kind: 'file', file: 'f', offsetPages: 0 }, startNs: 1_000_000 },
    ],
  });
  assert.equal(JSON.stringify(runScenario(make())), JSON.stringify(runScenario(make())));
});
