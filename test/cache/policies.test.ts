/** Behaviour of each policy: invariants under random traces, classic examples, OPT's bound, parameters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/sim/rng.js';
import {
  Car,
  denseTraceOf,
  findPolicy,
  nextUseOf,
  POLICIES,
  policySpec,
  runPolicy,
  type DenseTrace,
  type Policy,
  type PolicyFactory,
} from '../../src/cache/index.js';
import { InputError } from '../../src/errors.js';
import { HAVE_TRACES, sharedTrace } from './traces.js';

const AT = { file: 'command line', field: '--param' };

function create(f: PolicyFactory<Record<string, number>>, capacity: number, pageCount: number): Policy {
  return f.create(capacity, f.parseParams(new Map(), AT), pageCount);
}

function missesOf(name: string, pages: number[], capacity: number): number {
  const f = findPolicy(name)!;
  return runPolicy(denseTraceOf(pages), policySpec(f, f.parseParams(new Map(), AT)), capacity).misses!;
}

/** Textbook models, slow and obviously right, for LRU, FIFO and OPT. */
function modelMisses(kind: 'lru' | 'fifo' | 'opt', pages: number[], writes: boolean[], capacity: number): { misses: number; writebacks: number } {
  const mem: number[] = []; // LRU: most recent last; FIFO: oldest first
  const dirty = new Set<number>();
  let misses = 0;
  let writebacks = 0;
  pages.forEach((p, t) => {
    const i = mem.indexOf(p);
    if (i >= 0) {
      if (kind === 'lru') mem.push(...mem.splice(i, 1));
    } else {
      misses++;
      if (mem.length >= capacity) {
        let v = 0;
        if (kind === 'opt') {
          let far = -1;
          mem.forEach((q, j) => {
            const next = pages.indexOf(q, t + 1);
            const d = next < 0 ? Infinity : next;
            if (d > far) { far = d; v = j; }
          });
        }
        const [victim] = mem.splice(v, 1);
        if (dirty.delete(victim!)) writebacks++;
      }
      mem.push(p);
    }
    if (writes[t]) dirty.add(p);
  });
  return { misses, writebacks };
}

const traceArb = fc
  .integer({ min: 1, max: 30 })
  .chain((pages) => fc.array(fc.tuple(fc.integer({ min: 0, max: pages - 1 }), fc.boolean()), { minLength: 1, maxLength: 300 }));

test('every policy keeps its invariants after every access, for random traces at 1–20 frames', () => {
  for (const f of POLICIES) {
    fc.assert(
      fc.property(traceArb, fc.integer({ min: Math.max(1, f.minCapacity), max: 20 }), (refs, capacity) => {
        const trace = denseTraceOf(refs.map((r) => r[0] * 7919), refs.map((r) => r[1]));
        const next = nextUseOf(trace);
        const p = create(f, capacity, trace.pageCount);
        let hits = 0;
        let misses = 0;
        let writes = 0;
        for (let i = 0; i < trace.records; i++) {
          if (p.access(trace.ids[i]!, trace.writes[i] !== 0, next[i]!)) hits++;
          else misses++;
          if (trace.writes[i]) writes++;
          p.checkInvariants();
          assert.ok(p.resident <= capacity, `${f.name}: ${p.resident} resident > ${capacity}`);
        }
        assert.equal(hits + misses, trace.requests);
        assert.ok(misses >= trace.pageCount, `${f.name}: fewer misses than distinct pages`);
        assert.ok(p.writebacks <= writes && p.writebacks <= misses, `${f.name}: ${p.writebacks} write-backs`);
      }),
      { numRuns: 150, seed: 20261126 },
    );
  }
});

/**
 * CLOCK (second chance, a page enters with its bit clear) and SIEVE as arrays, slow and obviously
 * right: CLOCK's frames are a ring the hand walks; SIEVE's queue has the newest page first and a
 * hand that walks toward it from the oldest, wrapping, and rests on the evicted page's newer
 * neighbour.
 */
function modelSecondChance(kind: 'clock' | 'sieve', pages: number[], writes: boolean[], capacity: number): { misses: number; writebacks: number } {
  const frames: number[] = []; // clock: ring slots; sieve: oldest first
  const bit = new Map<number, boolean>();
  const dirty = new Set<number>();
  let hand = 0; // clock: slot; sieve: index into frames (oldest first) or −1 for "from the oldest"
  let sieveHand = -1;
  let misses = 0;
  let writebacks = 0;
  pages.forEach((p, t) => {
    if (writes[t]) dirty.add(p);
    if (frames.includes(p)) {
      bit.set(p, true);
      return;
    }
    misses++;
    if (frames.length >= capacity) {
      let victim: number;
      if (kind === 'clock') {
        while (bit.get(frames[hand]!)) {
          bit.set(frames[hand]!, false);
          hand = (hand + 1) % capacity;
        }
        victim = frames[hand]!;
        frames[hand] = p;
        hand = (hand + 1) % capacity;
      } else {
        let i = sieveHand === -1 ? 0 : sieveHand;
        while (bit.get(frames[i]!)) {
          bit.set(frames[i]!, false);
          i = i + 1 === frames.length ? 0 : i + 1;
        }
        victim = frames[i]!;
        frames.splice(i, 1);
        sieveHand = i === frames.length ? -1 : i; // the newer neighbour now sits at i
        frames.push(p);
      }
      if (dirty.delete(victim)) writebacks++;
      if (writes[t]) dirty.add(p);
    } else frames.push(p);
    bit.set(p, false);
  });
  return { misses, writebacks };
}

test('CLOCK and SIEVE equal their textbook models in misses and write-backs', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), (refs, capacity) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const trace = denseTraceOf(pages, writes);
      for (const kind of ['clock', 'sieve'] as const) {
        const f = findPolicy(kind)!;
        const row = runPolicy(trace, policySpec(f, f.parseParams(new Map(), AT)), capacity);
        const model = modelSecondChance(kind, pages, writes, capacity);
        assert.deepEqual([row.misses, row.writebacks], [model.misses, model.writebacks], kind);
      }
    }),
    { numRuns: 300, seed: 8 },
  );
});

test('LRU, FIFO and OPT equal their textbook models in misses and write-backs', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), (refs, capacity) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const trace = denseTraceOf(pages, writes);
      for (const kind of ['lru', 'fifo', 'opt'] as const) {
        const f = findPolicy(kind)!;
        const row = runPolicy(trace, policySpec(f, {}), capacity);
        const model = modelMisses(kind, pages, writes, capacity);
        assert.equal(row.misses, model.misses, kind);
        // OPT's ties (pages never used again) may go either way, and with them its write-backs
        if (kind !== 'opt') assert.equal(row.writebacks, model.writebacks, kind);
      }
    }),
    { numRuns: 300, seed: 7 },
  );
});

/**
 * LFU and MRU the slow way: resident pages in an array. LFU evicts the lowest in-cache count, and
 * among equal counts the page that reached its count first; MRU evicts the page used last.
 */
function modelCountOrRecency(kind: 'lfu' | 'mru', pages: number[], writes: boolean[], capacity: number): { misses: number; writebacks: number } {
  const resident: { page: number; count: number; since: number; dirty: boolean }[] = [];
  let misses = 0;
  let writebacks = 0;
  pages.forEach((p, t) => {
    const hit = resident.find((r) => r.page === p);
    if (hit) {
      hit.count++;
      hit.since = t;
      hit.dirty ||= writes[t]!;
      return;
    }
    misses++;
    if (resident.length === capacity) {
      let victim = 0;
      for (let i = 1; i < resident.length; i++) {
        const a = resident[i]!;
        const b = resident[victim]!;
        if (kind === 'mru' ? a.since > b.since : a.count < b.count || (a.count === b.count && a.since < b.since)) victim = i;
      }
      if (resident[victim]!.dirty) writebacks++;
      resident.splice(victim, 1);
    }
    resident.push({ page: p, count: 1, since: t, dirty: writes[t]! });
  });
  return { misses, writebacks };
}

test('LFU and MRU equal their textbook models in misses and write-backs', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), (refs, capacity) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const trace = denseTraceOf(pages, writes);
      for (const kind of ['lfu', 'mru'] as const) {
        const f = findPolicy(kind)!;
        const row = runPolicy(trace, policySpec(f, f.parseParams(new Map(), AT)), capacity);
        const model = modelCountOrRecency(kind, pages, writes, capacity);
        assert.deepEqual([row.misses, row.writebacks], [model.misses, model.writebacks], kind);
      }
    }),
    { numRuns: 300, seed: 12 },
  );
});

test('RANDOM equals a slow model drawing the same victims, and its seed is the only thing that changes them', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1000 }), (refs, capacity, seed) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const f = findPolicy('random')!;
      const row = runPolicy(denseTraceOf(pages, writes), policySpec(f, f.parseParams(new Map([['seed', String(seed)]]), AT)), capacity);
      // the model: frames in an array, the victim's frame drawn from the same generator
      const rng = new Rng(seed);
      const frames: number[] = [];
      const dirty = new Set<number>();
      let misses = 0;
      let writebacks = 0;
      pages.forEach((p, t) => {
        if (frames.includes(p)) {
          if (writes[t]) dirty.add(p);
          return;
        }
        misses++;
        if (frames.length < capacity) frames.push(p);
        else {
          const at = rng.below(capacity);
          if (dirty.delete(frames[at]!)) writebacks++;
          frames[at] = p;
        }
        if (writes[t]) dirty.add(p);
      });
      assert.deepEqual([row.misses, row.writebacks], [misses, writebacks]);
    }),
    { numRuns: 200, seed: 13 },
  );
  const loop = Array.from({ length: 3000 }, (_, i) => i % 150);
  const missesWith = (seed: number) => runPolicy(denseTraceOf(loop), policySpec(findPolicy('random')!, { seed }), 100).misses;
  assert.equal(missesWith(5), missesWith(5));
  assert.notEqual(missesWith(5), missesWith(6));
});

/**
 * LRU-K as the paper states it, slowly: each page's reference times kept in full, the victim the
 * resident page whose K-th most recent reference is oldest; pages with fewer than K references
 * first, least recently used first.
 */
function modelLruK(k: number, pages: number[], writes: boolean[], capacity: number): { misses: number; writebacks: number; hits: boolean[] } {
  const history = new Map<number, number[]>(); // most recent first
  const resident = new Set<number>();
  const dirty = new Set<number>();
  let misses = 0;
  let writebacks = 0;
  const hits: boolean[] = [];
  pages.forEach((p, t) => {
    history.set(p, [t, ...(history.get(p) ?? [])]);
    if (resident.has(p)) {
      hits.push(true);
    } else {
      hits.push(false);
      misses++;
      if (resident.size >= capacity) {
        // a distance: [infinite?, how long ago] compared as a pair, larger = evicted first
        const distance = (q: number): [number, number] => {
          const h = history.get(q)!;
          return h.length < k ? [1, t - h[0]!] : [0, t - h[k - 1]!];
        };
        let victim = -1;
        for (const q of resident) {
          if (victim < 0) { victim = q; continue; }
          const [a, b] = [distance(q), distance(victim)];
          if (a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])) victim = q;
        }
        resident.delete(victim);
        if (dirty.delete(victim)) writebacks++;
      }
      resident.add(p);
    }
    if (writes[t]) dirty.add(p);
  });
  return { misses, writebacks, hits };
}

test('LRU-K equals the paper\'s definition, modelled slowly, for K = 1, 2 and 3; K = 1 is LRU', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3 }), (refs, capacity, k) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const trace = denseTraceOf(pages, writes);
      const f = findPolicy('lru-k')!;
      const row = runPolicy(trace, policySpec(f, f.parseParams(new Map([['k', String(k)]]), AT)), capacity);
      const model = modelLruK(k, pages, writes, capacity);
      assert.deepEqual([row.misses, row.writebacks], [model.misses, model.writebacks], `k=${k}`);
      if (k === 1) assert.deepEqual([row.misses, row.writebacks], Object.values(modelMisses('lru', pages, writes, capacity)));
    }),
    { numRuns: 300, seed: 14 },
  );
  // worked by hand at 2 frames, a b a c b a c: at c (t3) b has one reference and a two, so b goes;
  // at b (t4) b comes back with its t1, and c (one reference) goes; at c (t6) b's second-last
  // reference (t1) is older than a's (t2), so b goes. LRU, by recency alone, hits only at t2.
  const f = findPolicy('lru-k')!;
  const lru2 = f.create(2, f.parseParams(new Map(), AT), 3);
  assert.deepEqual([0, 1, 0, 2, 1, 0, 2].map((p) => lru2.access(p, false, 0)), [false, false, true, false, false, true, false]);
  assert.deepEqual(modelLruK(1, [0, 1, 0, 2, 1, 0, 2], Array(7).fill(false), 2).hits, [false, false, true, false, false, false, false]);
});

test('LRU-2 keeps a hot set through a scan that LRU lets it lose', () => {
  // 20 hot pages used over and over, then a one-time scan of 200 pages, then the hot pages again
  const hot = Array.from({ length: 200 }, (_, i) => i % 20);
  const pages = [...hot, ...Array.from({ length: 200 }, (_, i) => 100 + i), ...hot];
  const lru = missesOf('lru', pages, 30);
  const lru2 = missesOf('lru-k', pages, 30);
  assert.equal(lru2, 20 + 200, 'LRU-2 misses only the first touches');
  assert.equal(lru, 20 + 200 + 20, 'LRU refetches the hot set after the scan');
});

/**
 * CAR as the paper's Figure 2 writes it, slowly: clocks as arrays with the hand at index 0 and
 * new pages pushed at the end (just behind the hand), ghosts as arrays, most recent first.
 */
function modelCar(pages: number[], writes: boolean[], c: number): { misses: number; writebacks: number; hits: boolean[]; p: number; sizes: number[] } {
  const t1: number[] = [];
  const t2: number[] = [];
  const b1: number[] = [];
  const b2: number[] = [];
  const ref = new Set<number>();
  const dirty = new Set<number>();
  let p = 0;
  let misses = 0;
  let writebacks = 0;
  const hits: boolean[] = [];
  const demote = (clock: number[], ghosts: number[]): void => {
    const victim = clock.shift()!;
    if (dirty.delete(victim)) writebacks++;
    ghosts.unshift(victim);
  };
  const replace = (): void => {
    for (;;) {
      if (t1.length >= Math.max(1, p)) {
        if (!ref.has(t1[0]!)) return demote(t1, b1);
        ref.delete(t1[0]!);
        t2.push(t1.shift()!);
      } else {
        if (!ref.has(t2[0]!)) return demote(t2, b2);
        ref.delete(t2[0]!);
        t2.push(t2.shift()!);
      }
    }
  };
  pages.forEach((x, t) => {
    if (t1.includes(x) || t2.includes(x)) {
      ref.add(x);
      if (writes[t]) dirty.add(x);
      hits.push(true);
      return;
    }
    misses++;
    hits.push(false);
    const inB1 = b1.includes(x);
    const inB2 = b2.includes(x);
    if (t1.length + t2.length === c) {
      replace();
      if (!inB1 && !inB2) {
        if (t1.length + b1.length === c) b1.pop();
        else if (t1.length + t2.length + b1.length + b2.length === 2 * c) b2.pop();
      }
    }
    if (inB1) {
      p = Math.min(p + Math.max(1, b2.length / b1.length), c);
      b1.splice(b1.indexOf(x), 1);
      t2.push(x);
    } else if (inB2) {
      p = Math.max(p - Math.max(1, b1.length / b2.length), 0);
      b2.splice(b2.indexOf(x), 1);
      t2.push(x);
    } else {
      t1.push(x);
    }
    ref.delete(x);
    if (writes[t]) dirty.add(x);
  });
  return { misses, writebacks, hits, p, sizes: [t1.length, t2.length, b1.length, b2.length] };
}

test('CAR equals the paper\'s Figure 2, modelled slowly, in misses and write-backs', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 1, max: 20 }), (refs, capacity) => {
      const pages = refs.map((r) => r[0]);
      const writes = refs.map((r) => r[1]);
      const row = runPolicy(denseTraceOf(pages, writes), policySpec(findPolicy('car')!, {}), capacity);
      const model = modelCar(pages, writes, capacity);
      assert.deepEqual([row.misses, row.writebacks], [model.misses, model.writebacks]);
      // access by access, and the adaptation's state at the end: the ghost lists' trimming and
      // the step of p change few misses on small traces, but they change p
      const car = new Car(capacity, Math.max(...pages) + 1);
      assert.deepEqual(pages.map((page, t) => car.access(page, writes[t]!)), model.hits);
      assert.deepEqual([car.targetT1, car.ghostSizes], [model.p, model.sizes.slice(2)]);
      assert.equal(car.resident, model.sizes[0]! + model.sizes[1]!);
    }),
    { numRuns: 400, seed: 15 },
  );
  // longer traces with phases (a hot set that moves), where the ghost lists fill and p swings
  const phased = fc.tuple(fc.integer({ min: 20, max: 80 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 1000 })).map(([pages, capacity, seed]) => {
    const rng = new Rng(seed);
    const refs = Array.from({ length: 3000 }, (_, t) => {
      const hot = Math.floor(t / 500) * 7;
      return rng.next() < 0.7 ? (hot + rng.below(capacity)) % pages : rng.below(pages);
    });
    return { refs, capacity };
  });
  fc.assert(
    fc.property(phased, ({ refs, capacity }) => {
      const writes = refs.map((p) => p % 3 === 0);
      const model = modelCar(refs, writes, capacity);
      const car = new Car(capacity, Math.max(...refs) + 1);
      assert.deepEqual(refs.map((page, t) => car.access(page, writes[t]!)), model.hits);
      assert.deepEqual([car.targetT1, car.ghostSizes, car.writebacks], [model.p, model.sizes.slice(2), model.writebacks]);
    }),
    { numRuns: 60, seed: 16 },
  );
});

test("CAR stays within 3 % of ARC's misses on the shared traces, as its paper reports", { skip: !HAVE_TRACES }, () => {
  for (const name of ['cpp', 'multi2', 'sprite', 'ps', '2_pools']) {
    const trace = sharedTrace(name);
    for (const frames of [100, 500, 2000]) {
      const arcMisses = runPolicy(trace, policySpec(findPolicy('arc')!, {}), frames).misses!;
      const carMisses = runPolicy(trace, policySpec(findPolicy('car')!, {}), frames).misses!;
      assert.ok(Math.abs(carMisses - arcMisses) <= 0.03 * arcMisses, `${name} at ${frames}: CAR ${carMisses}, ARC ${arcMisses}`);
    }
  }
});

test('OPT misses no more than any policy on random traces', () => {
  fc.assert(
    fc.property(traceArb, fc.integer({ min: 5, max: 20 }), (refs, capacity) => {
      const trace = denseTraceOf(refs.map((r) => r[0]));
      const opt = runPolicy(trace, policySpec(findPolicy('opt')!, {}), capacity).misses!;
      for (const f of POLICIES) {
        const m = runPolicy(trace, policySpec(f, f.parseParams(new Map(), AT)), capacity).misses!;
        assert.ok(opt <= m, `opt ${opt} > ${f.name} ${m}`);
      }
    }),
    { numRuns: 200, seed: 11 },
  );
});

test('with one frame every policy hits exactly on immediate repeats', () => {
  const pages = [1, 1, 2, 1, 1, 1, 3, 3, 2, 2, 2, 1];
  const changes = pages.filter((p, i) => i === 0 || pages[i - 1] !== p).length;
  for (const f of POLICIES) if (f.minCapacity <= 1) assert.equal(missesOf(f.name, pages, 1), changes, f.name);
});

test("FIFO shows Belady's anomaly: 9 faults with 3 frames, 10 with 4", () => {
  const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
  assert.equal(missesOf('fifo', belady, 3), 9);
  assert.equal(missesOf('fifo', belady, 4), 10);
  // the stack algorithms cannot show it
  assert.ok(missesOf('lru', belady, 4) <= missesOf('lru', belady, 3));
  assert.ok(missesOf('opt', belady, 4) <= missesOf('opt', belady, 3));
});

test('CLOCK gives a referenced page a second chance; FIFO does not', () => {
  // 3 frames: 1 2 3 fill; 1 is referenced again; 4 must replace 2 under CLOCK, 1 under FIFO
  const pages = [1, 2, 3, 1, 4, 1];
  assert.equal(missesOf('clock', pages, 3), 4);
  assert.equal(missesOf('fifo', pages, 3), 5);
});

test('write-backs count dirty victims only', () => {
  const trace = denseTraceOf([1, 2, 3, 1, 2, 3], [true, false, false, false, false, false]);
  // LRU with 2 frames: every reference misses; page 1 is dirty once and is evicted (written back) once
  const row = runPolicy(trace, policySpec(findPolicy('lru')!, {}), 2);
  assert.deepEqual([row.misses, row.writebacks], [6, 1]);
});

test('every policy: when every reference writes, every eviction is a write-back; when none does, none is', () => {
  // a page's first reference writes it, so each page leaves memory dirty: write-backs are exactly
  // the evictions, misses − pages still resident (a dirty bit lost, shared or cleared early shows)
  const pagesArb = fc.integer({ min: 1, max: 30 }).chain((pages) => fc.array(fc.integer({ min: 0, max: pages - 1 }), { minLength: 1, maxLength: 300 }));
  for (const f of POLICIES) {
    fc.assert(
      fc.property(pagesArb, fc.integer({ min: Math.max(1, f.minCapacity), max: 20 }), (pages, capacity) => {
        for (const write of [true, false]) {
          const trace = denseTraceOf(pages.map((page) => page * 7919), pages.map(() => write));
          const next = nextUseOf(trace);
          const p = create(f, capacity, trace.pageCount);
          let misses = 0;
          for (let i = 0; i < trace.records; i++) if (!p.access(trace.ids[i]!, write, next[i]!)) misses++;
          assert.equal(p.writebacks, write ? misses - p.resident : 0, `${f.name} at ${capacity} frames, ${write ? 'all writes' : 'no writes'}`);
        }
      }),
      { numRuns: 100, seed: 20261126 },
    );
  }
});

test('policies with a minimum size say so instead of running', () => {
  const row = runPolicy(denseTraceOf([1, 2, 3]), policySpec(findPolicy('clock-pro')!, findPolicy('clock-pro')!.parseParams(new Map(), AT)), 4);
  assert.equal(row.misses, null);
  assert.equal(row.note, 'clock-pro needs at least 5 frames');
});

test('parameter errors name the policy, the key and what was expected', () => {
  const err = (name: string, key: string, value: string) => {
    try {
      findPolicy(name)!.parseParams(new Map([[key, value]]), AT);
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.message;
    }
    return 'no error';
  };
  assert.equal(err('lru', 'x', '1'), "command line --param lru: expected a parameter of lru (it has: none), got 'x'");
  assert.equal(err('2q', 'kinn', '1'), "command line --param 2q: expected a parameter of 2q (it has: kin, kout), got 'kinn'");
  assert.equal(err('2q', 'kin', '2'), "command line --param 2q.kin: expected a number from 0 to 1, got '2'");
  assert.equal(err('clock', 'bits', '1.5'), "command line --param clock.bits: expected a whole number from 1 to 8, got '1.5'");
  assert.equal(err('s3fifo', 'small', 'lots'), "command line --param s3fifo.small: expected a number from 0 to 1, got 'lots'");
});

test('parameters change behaviour: CLOCK with 2 bits, S3-FIFO with a larger small queue', () => {
  let x = 12345;
  const pages = Array.from({ length: 5000 }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const u = x / 4294967296;
    return Math.floor(200 * u * u * u); // skewed: low pages hot
  });
  const trace: DenseTrace = denseTraceOf(pages);
  const clock = findPolicy('clock')!;
  const one = runPolicy(trace, policySpec(clock, clock.parseParams(new Map(), AT)), 20);
  const two = runPolicy(trace, policySpec(clock, clock.parseParams(new Map([['bits', '2']]), AT)), 20);
  assert.equal(two.policy, 'clock(bits=2)');
  assert.notEqual(one.misses, two.misses);
  const s3 = findPolicy('s3fifo')!;
  const base = runPolicy(trace, policySpec(s3, s3.parseParams(new Map(), AT)), 50);
  const wide = runPolicy(trace, policySpec(s3, s3.parseParams(new Map([['small', '0.5']]), AT)), 50);
  assert.equal(wide.policy, 's3fifo(small=0.5)');
  assert.notEqual(base.misses, wide.misses);
});

const TRACES = ['2_pools', 'backf', 'cpp', 'cs', 'gli', 'loop', 'multi1', 'multi2', 'multi3', 'ps', 'scan', 'sprite', 'zigzag', 'spec-gcc', 'spec-swim', 'cloudPhysicsIO'];

test("OPT's misses are at most every policy's on every shared trace at 10, 100 and 1000 frames", { skip: !HAVE_TRACES }, () => {
  for (const name of TRACES) {
    const trace = sharedTrace(name);
    const next = nextUseOf(trace);
    for (const frames of [10, 100, 1000]) {
      const opt = runPolicy(trace, policySpec(findPolicy('opt')!, {}), frames, next).misses!;
      for (const f of POLICIES) {
        const m = runPolicy(trace, policySpec(f, f.parseParams(new Map(), AT)), frames, next).misses!;
        assert.ok(opt <= m, `${name} at ${frames}: opt ${opt} > ${f.name} ${m}`);
      }
    }
  }
});

test('on SPEC gcc (real loads and stores) LRU and FIFO write-backs equal the textbook models', { skip: !HAVE_TRACES }, () => {
  const trace = sharedTrace('spec-gcc');
  const pages = Array.from(trace.ids);
  const writes = Array.from(trace.writes, (w) => w !== 0);
  for (const kind of ['lru', 'fifo'] as const) {
    for (const frames of [20, 50]) {
      const row = runPolicy(trace, policySpec(findPolicy(kind)!, {}), frames);
      const model = modelMisses(kind, pages, writes, frames);
      assert.deepEqual([row.misses, row.writebacks], [model.misses, model.writebacks], `${kind} at ${frames}`);
      assert.ok(model.writebacks > 0);
    }
  }
});
