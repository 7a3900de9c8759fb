/** The seed's steps S1–S16 (spec §4.2), each seen happening and doing what the spec says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulation, FrameState, type KernelEvent, type RunResult, type Simulation } from '../../src/kernel/index.js';
import { makeScenario, type ScenarioFixture } from './fixtures.js';
import { pageInsert } from '../../src/kernel/resident.js';

const FILE = { kind: 'file', file: 'data.db', offsetPages: 0 } as const;

function record(f: ScenarioFixture, check?: (e: KernelEvent, sim: Simulation) => void): { events: KernelEvent[]; result: RunResult; sim: Simulation } {
  const events: KernelEvent[] = [];
  let sim: Simulation | undefined;
  sim = createSimulation(makeScenario({ diskNs: 1_000_000, ...f }), {
    onEvent: (e) => {
      events.push(e);
      check?.(e, sim!);
    },
  });
  const result = sim.runToEnd();
  return { events, result, sim };
}

const anonPressure: ScenarioFixture = {
  pages: 300,
  tasks: [
    { generator: { kind: 'hotset', hotPages: 120, coldPages: 400, references: 15000, hotProbability: 0.8, scanEvery: 3000, scanLength: 150, writeFraction: 0.4 } },
  ],
};
const filePressure: ScenarioFixture = {
  pages: 300,
  tunables: { vm_pageout_reserved_internal: 60 },
  tasks: [{ generator: { kind: 'uniform', pages: 500, references: 8000, writeFraction: 0.5 }, data: FILE }],
};

function steps(events: KernelEvent[]): Set<string> {
  return new Set(events.flatMap((e) => (e.type === 'scan' ? [e.step] : [])));
}

test('anonymous memory under pressure: S1–S3, S10, S11, S13, S15, S16 happen, pages go to the default pager and come back', () => {
  const { events, result } = record(anonPressure);
  const seen = steps(events);
  for (const s of ['S2', 'S3', 'S10', 'S11', 'S13', 'S15', 'S16']) assert.ok(seen.has(s), `${s} never happened`);
  assert.equal(result.outcome, 'completed');
  assert.ok(result.vmStat.pageouts > 100, `pageouts ${result.vmStat.pageouts}`);
  assert.ok(result.vmStat.pageins > 100, `pageins ${result.vmStat.pageins}`);
  assert.ok(events.some((e) => e.type === 'pagein' && e.from === 'default'));
  assert.equal(result.integrity.lostWrites, 0);
  assert.ok(result.integrity.readsChecked > 5000);
});

test('S2 deactivation clears both reference bits; S10 reactivation keeps them', () => {
  let s2 = 0;
  let s10 = 0;
  record(anonPressure, (e, sim) => {
    if (e.type !== 'scan' || e.page === null || e.page.frame < 0) return;
    const m = sim.k.pages[e.page.frame]!;
    if (e.step === 'S2' && e.what.startsWith('deactivated')) {
      s2++;
      assert.equal(m.reference, false);
      assert.equal(sim.k.pmap.isReferenced(m.frame), false);
      assert.ok(m.inactive && sim.k.inactiveQueue.tail === m, 'deactivated page goes to the inactive tail');
    }
    if (e.step === 'S10') {
      s10++;
      assert.ok(m.reference || sim.k.pmap.isReferenced(m.frame), 'reactivated page keeps its reference bit');
      assert.ok(m.active && sim.k.activeQueue.tail === m, 'reactivated page goes to the active tail');
    }
  });
  assert.ok(s2 > 100 && s10 > 10, `S2 ${s2}, S10 ${s10}`);
});

test('every page taken at S5 ends in exactly one outcome counter or a selection pause', () => {
  for (const f of [anonPressure, filePressure]) {
    const { result } = record(f);
    const c = result.pageoutCounters;
    const outcomes = c.vm_pageout_inactive_nolock + c.vm_pageout_inactive_busy + c.vm_pageout_inactive_absent + c.vm_pageout_inactive_used +
      c.vm_pageout_inactive_cleaned_external + c.vm_pageout_inactive_clean + c.vm_pageout_inactive_dirty;
    assert.equal(c.vm_pageout_inactive, outcomes + result.selectionPauses);
    assert.equal(result.vmStat.reactivations, c.vm_pageout_inactive_used);
  }
});

test('laundry is retired only when the default pager frees the transport object, and drains to 0', () => {
  const pageoutAt: number[] = [];
  let retired = 0;
  const { result, events } = record(anonPressure, (e, sim) => {
    if (e.type === 'pageout' && e.to === 'default') pageoutAt.push(e.t);
    if (e.type === 'laundry-done') {
      retired++;
      assert.equal(sim.k.sched.current?.name, 'default pager', 'laundry retired by someone else');
      assert.ok(e.t >= pageoutAt[retired - 1]! + 1_000_000, 'retired before the disk write finished');
    }
  });
  assert.equal(retired, events.filter((e) => e.type === 'pageout' && e.to === 'default').length);
  assert.ok(result.maxLaundryCount >= 1 && result.maxLaundryCount <= 10 + 1);
  assert.equal(result.final.laundry, 0);
});

test('S14 double paging puts the external page at the head of the inactive queue, and S5 takes it next', () => {
  let doubles = 0;
  let expectNext: number | null = null;
  const { result, events } = record(filePressure, (e, sim) => {
    if (e.type === 'pageout' && e.double) {
      doubles++;
      assert.equal(sim.k.inactiveQueue.head?.frame, e.page.frame);
      assert.equal(sim.k.inactiveQueue.head?.laundry, false);
      expectNext = e.page.frame;
    } else if (e.type === 'scan' && e.page !== null && expectNext !== null && ['S8', 'S9', 'S10', 'S11'].includes(e.step)) {
      assert.equal(e.page.frame, expectNext, 'the double-paged page is the next one looked at');
      expectNext = null;
    }
  });
  assert.ok(doubles > 0 && result.pageoutCounters.vm_pageout_inactive_double === doubles);
  assert.equal(result.doublePaged, doubles);
  assert.ok(steps(events).has('S14') && steps(events).has('S15'));
  assert.equal(result.integrity.lostWrites, 0);
});

test('S4 pauses burst_wait ms per outstanding page in whole ticks; scan_continue adapts burst_wait', () => {
  let pauses = 0;
  let lastBurstWait = 10;
  const { events } = record(anonPressure, (e, sim) => {
    if (e.type === 'pause') {
      pauses++;
      const d = sim.daemon;
      const pages = Math.max(sim.k.laundryCount, d.burstCount);
      const expected = e.inactiveEmpty ? Math.max(pages * sim.k.daemon.burstWaitMs, 75) : pages * sim.k.daemon.burstWaitMs;
      assert.equal(e.msecs, expected);
      assert.equal(e.ticks, Math.max(1, Math.ceil(e.msecs / 10)));
    }
    if (e.type === 'burst-wait') {
      if (e.change === 'up') assert.ok(sim.k.laundryCount > 5, 'raised only while laundry > burst_min');
      if (e.change === 'up') assert.equal(e.burstWait, lastBurstWait + 1);
      if (e.change === 'down') assert.equal(e.burstWait, Math.max(1, Math.trunc((lastBurstWait * 3) / 4)));
      lastBurstWait = e.burstWait;
    }
  });
  assert.ok(pauses > 5);
  assert.ok(events.some((e) => e.type === 'burst-wait' && e.change === 'down'));
  // the scan after a pause starts from S1 at a tick boundary
  const after = events.findIndex((e) => e.type === 'pause');
  const resume = events.slice(after + 1).find((e) => e.type === 'burst-wait')!;
  assert.equal(resume.t % 10_000_000, 0);
});

/**
 * A booted machine with nothing running yet (one task starts at 100 s), so a test can put pages
 * into the states the seed meets — the way FreeBSD's vm tests poke the queues directly.
 */
function idleMachine(pages = 300): Simulation {
  const sim = createSimulation(makeScenario({ pages, tasks: [{ generator: { kind: 'sequential', pages: 1, passes: 1, writeFraction: 0 }, startNs: 100e9 }] }));
  sim.runUntil(1);
  return sim;
}

/** Take a free frame and make it page `offset` of `object`, on the inactive queue. */
function inactivePage(sim: Simulation, object: ReturnType<Simulation['k']['newObject']>, offset: number) {
  const k = sim.k;
  const m = k.freeList.pop()!;
  k.freeCount--;
  m.free = false;
  m.busy = false;
  pageInsert(k, m, object, offset);
  k.inactiveQueue.enter(m);
  m.inactive = true;
  k.inactiveCount++;
  return m;
}

function wakeDaemon(sim: Simulation, until = 1e9): KernelEvent[] {
  const events: KernelEvent[] = [];
  sim.k.emit = (e) => events.push(e);
  sim.k.sched.wakeup(sim.k.evFreeWanted);
  sim.runUntil(until);
  return events;
}

test('S8 leaves a busy page (a fault waiting in pmap_enter holds it) off the queues', () => {
  const sim = idleMachine();
  const k = sim.k;
  const object = k.newObject(true, 10, 'test');
  const m = inactivePage(sim, object, 3);
  m.busy = true;
  k.th = { ...k.th, vm_page_free_target: k.freeCount + 10 }; // pages are wanted
  const events = wakeDaemon(sim);
  assert.ok(events.some((e) => e.type === 'scan' && e.step === 'S8' && e.page?.frame === m.frame));
  assert.equal(k.stats.inactiveBusy, 1);
  assert.ok(!m.inactive && !m.active && m.linkedOn === null, 'left loose');
  assert.equal(k.inactiveCount, 0);
});

test('S9 reclaims an absent page met on the inactive queue when pages are wanted', () => {
  const sim = idleMachine();
  const k = sim.k;
  const object = k.newObject(true, 10, 'test');
  const m = inactivePage(sim, object, 3);
  m.absent = true; // an internal page-in placeholder answered data_unavailable, deactivated since
  object.absentCount = 1;
  k.th = { ...k.th, vm_page_free_target: k.freeCount + 10 };
  const events = wakeDaemon(sim);
  assert.ok(events.some((e) => e.type === 'scan' && e.step === 'S9' && e.page?.frame === m.frame));
  assert.equal(k.stats.inactiveAbsent, 1);
  assert.ok(m.free);
  assert.equal(object.absentCount, 0);
});

/**
 * The daemon runs only for the external-page limit (free ≥ free_target, nobody waiting,
 * external_count > external_target): want_pages is false, so S5 wants external pages only.
 */
function externalOnly(sim: Simulation): void {
  sim.k.th = { ...sim.k.th, vm_page_external_target: 0 };
}

function externalPage(sim: Simulation, object: ReturnType<Simulation['k']['newObject']>, offset: number, dirty: boolean) {
  const m = inactivePage(sim, object, offset);
  m.external = true;
  m.extcounted = true;
  sim.k.externalCount++;
  m.dirty = dirty;
  return m;
}

test('B3 faithful: the S12 requeue leaves a clean external page busy and off-count, and S5 panics on it', () => {
  const sim = idleMachine();
  const k = sim.k;
  externalOnly(sim);
  const file = sim.fileObject('f');
  sim.runUntil(2); // the file pager answers memory_object_init
  const a = externalPage(sim, file, 1, false);
  externalPage(sim, file, 7, true);
  wakeDaemon(sim);
  const r = sim.result();
  assert.equal(r.outcome, 'panic');
  assert.match(r.outcomeDetail, /assert\(!m->active && m->inactive\) page \d+ \(left off-count by the S12 requeue: defect B3\) \(at S5\)/);
  assert.equal(r.defects[0]?.defect, 'B3');
  assert.equal(r.pageoutCounters.vm_pageout_inactive_cleaned_external, 1);
  assert.ok(a.busy && !a.inactive && a.linkedOn === k.inactiveQueue);
});

test('B3 fixed: the requeued page is inactive, counted and unbusied; the clean-page requeue then spins and is caught', () => {
  const sim = idleMachine();
  Object.assign(sim.k.fixes, { B3: true });
  const k = sim.k;
  externalOnly(sim);
  const file = sim.fileObject('f');
  sim.runUntil(2);
  const a = externalPage(sim, file, 1, false);
  externalPage(sim, file, 7, true);
  wakeDaemon(sim);
  const r = sim.result();
  // with the dirty page's external count outstanding, want_pages stays false and the scan keeps
  // requeueing the one clean external page without ever pausing: the seed has no exit for this
  assert.equal(r.outcome, 'livelock');
  assert.ok(a.inactive && !a.busy);
  assert.equal(k.inactiveCount, k.inactiveQueue.linked);
  assert.ok(r.pageoutCounters.vm_pageout_inactive_cleaned_external > 10);
});

test('B1 faithful: the selection walk follows the hash-bucket link and asserts on an active page', () => {
  const sim = idleMachine();
  const k = sim.k;
  externalOnly(sim);
  k.externalCount = 1; // some external page elsewhere keeps the count over the target
  const object = k.newObject(true, 10, 'anon');
  // same bucket: a later insert goes to the bucket head, so the inactive page's `next` is the active one
  const active = inactivePage(sim, object, 0);
  k.inactiveQueue.remove(active);
  active.inactive = false;
  k.inactiveCount--;
  k.activeQueue.enter(active);
  active.active = true;
  k.activeCount++;
  const probe = k.newObject(true, 10, 'probe');
  let offset = 1;
  while (((probe.hashAddr + offset) & k.hashMask) !== ((object.hashAddr + 0) & k.hashMask)) offset++;
  inactivePage(sim, probe, offset);
  k.inactiveTarget = 0;
  wakeDaemon(sim);
  const r = sim.result();
  assert.equal(r.outcome, 'panic');
  assert.match(r.outcomeDetail, /S5: assert\(!m->active && m->inactive\) page/);
  assert.equal(r.defects[0]?.defect, 'B1');
});

test('B2: with no eligible page, goto pause spins (livelock); the B1+B2 fixes pause for empty_wait instead', () => {
  for (const fixB2 of [false, true]) {
    const sim = idleMachine();
    Object.assign(sim.k.fixes, { B1: true, B2: fixB2 });
    const k = sim.k;
    externalOnly(sim);
    const file = sim.fileObject('f');
    sim.runUntil(2);
    // a dirty external page on the active queue keeps external_count over its target
    const ext = externalPage(sim, file, 5, true);
    k.inactiveQueue.remove(ext);
    ext.inactive = false;
    k.inactiveCount--;
    k.activeQueue.enter(ext);
    ext.active = true;
    k.activeCount++;
    const object = k.newObject(true, 10, 'anon');
    inactivePage(sim, object, 0);
    const events = wakeDaemon(sim, 50e6);
    const r = sim.result();
    if (!fixB2) {
      assert.equal(r.outcome, 'livelock');
      assert.match(r.outcomeDetail, /S5 found no eligible page .* and S4 has no reason to pause \(at S5\)/);
      // B1's fix followed the queue past the ineligible page (met, fixed); B2 then spun
      assert.deepEqual(r.defects.map((d) => `${d.defect}${d.fixed ? ' fixed' : ''}`), ['B1 fixed', 'B2']);
    } else {
      assert.deepEqual(r.defects.map((d) => `${d.defect}${d.fixed ? ' fixed' : ''}`), ['B1 fixed', 'B2 fixed']);
      assert.equal(sim.done, false, r.outcomeDetail);
      const pause = events.find((e) => e.type === 'pause');
      assert.ok(pause && pause.type === 'pause' && pause.msecs === 75, 'forced empty_wait pause');
      assert.ok(r.selectionPauses >= 1);
    }
  }
});

test('a task writing a new file drives external_count over its target: the faithful seed spins (B1 walk, then B2); fixed, the run completes', () => {
  const run = (fixes: Partial<Record<'B1' | 'B2' | 'B3', boolean>>) => {
    const s = makeScenario({
      pages: 600,
      diskNs: 4_000_000,
      fixes,
      tasks: [
        {
          generator: { kind: 'phases', phases: [
            { kind: 'sequential', pages: 400, passes: 1, writeFraction: 1 },
            { kind: 'loop', pages: 50, iterations: 2000, writeFraction: 0 },
            { kind: 'sequential', pages: 400, passes: 1, writeFraction: 1, startPage: 400 },
          ] },
          data: { kind: 'file', file: 'out', offsetPages: 0 },
        },
        { generator: { kind: 'loop', pages: 250, iterations: 400, writeFraction: 0.3, startPage: 100000 } },
      ],
    });
    s.files = [{ name: 'out', sizePages: 0 }]; // a new file: its pages are zero-filled with external grabs
    let maxExternal = 0;
    const r = createSimulation(s, { onSample: (x) => { maxExternal = Math.max(maxExternal, x.external); }, sampleIntervalNs: 1e6 }).runToEnd();
    return { r, maxExternal };
  };
  const faithful = run({});
  assert.ok(faithful.maxExternal > faithful.r.thresholds.vm_page_external_target);
  assert.equal(faithful.r.outcome, 'livelock');
  assert.deepEqual(faithful.r.defects.map((d) => `${d.defect}${d.fixed ? ' fixed' : ''}`), ['B1', 'B2']);
  const fixed = run({ B1: true, B2: true, B3: true });
  assert.equal(fixed.r.outcome, 'completed', fixed.r.outcomeDetail);
  // the fixes met B1's condition (and the run says so), then never reached B2's
  assert.deepEqual(fixed.r.defects.map((d) => `${d.defect}${d.fixed ? ' fixed' : ''}`), ['B1 fixed']);
  assert.ok(fixed.r.pageoutCounters.vm_pageout_inactive_dirty > 0);
  assert.equal(fixed.r.integrity.lostWrites, 0);
});

test('misses count references whose page was not resident, once each: cold misses only when memory suffices, at most one per reference under pressure', () => {
  const roomy = record({ pages: 1024, tasks: [{ generator: { kind: 'loop', pages: 300, iterations: 5, writeFraction: 0.5 } }] }).result;
  assert.equal(roomy.misses, 300);
  assert.equal(roomy.tasks[0]!.misses, 300);
  const tight = record(anonPressure).result;
  assert.ok(tight.misses <= tight.tasks[0]!.references);
  assert.ok(tight.misses > 520 && tight.misses < tight.vmStat.faults, `misses ${tight.misses}, faults ${tight.vmStat.faults}`);
});

test('frameStates agrees with the counters at any moment of a run', () => {
  const sim = createSimulation(makeScenario({ diskNs: 1_000_000, ...anonPressure }));
  const states = new Uint8Array(sim.k.pages.length);
  const marks = new Uint8Array(sim.k.pages.length);
  for (let t = 50e6; !sim.done && t < 3e9; t += 50e6) {
    sim.runUntil(t);
    sim.frameStates(states, marks);
    const count = (s: FrameState) => states.filter((x) => x === s).length;
    assert.equal(count(FrameState.Free), sim.k.freeCount);
    assert.equal(count(FrameState.Laundry), sim.k.laundryCount);
    assert.equal(count(FrameState.Laundry) + count(FrameState.Wired), sim.k.wireCount);
    assert.ok(count(FrameState.Active) <= sim.k.activeCount && count(FrameState.Inactive) <= sim.k.inactiveCount);
    const f = sim.frameInfo(sim.k.pages.length - 1);
    assert.equal(f.state, states[sim.k.pages.length - 1]);
  }
});

test('stepReferences stops near the number asked for, not at the end of a time slice', () => {
  const sim = createSimulation(makeScenario({ pages: 1024, tasks: [{ generator: { kind: 'loop', pages: 100, iterations: 1000, writeFraction: 0 } }] }));
  sim.stepReferences(1000);
  const first = sim.result().tasks[0]!.references;
  assert.ok(first >= 1000 && first < 1100, `after one step of 1000: ${first}`);
  sim.stepReferences(5000);
  const second = sim.result().tasks[0]!.references;
  assert.ok(second >= first + 5000 && second < first + 5100, `after another 5000: ${second}`);
});
