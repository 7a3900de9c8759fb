/**
 * One policy at one size, replayed straight from a trace as it is read: the way libCacheSim's
 * `cachesim` runs, and the path `pageout compare` takes for one policy and one size. Each batch
 * of records is remapped to dense ids (PageIdMap) and handed to the policy, so nothing of the
 * trace is kept: memory is the policy's own, proportional to the distinct pages, and no
 * trace-length arrays are written and read back. Policies start small and grow their per-page
 * arrays (growPages) as new pages appear. Counts equal `replay` over the loaded trace
 * (test/cache/stream.test.ts).
 *
 * OPT cannot run this way: it needs each reference's next use, hence the whole trace.
 */
import { REF_WRITE, RefBatch, type RefSource } from '../kernel/ref-source.js';
import type { CompareRow, PolicySpec } from './compare.js';
import { PageIdMap } from './dense-trace.js';
import type { Policy } from './policy.js';
import { WarmedUp, withWarmup } from './warmup.js';

/**
 * Records a batch. 2K, 8K and 256K measured the same in fresh processes (docs/speed.md); 8K keeps
 * the batch and its ids (about 140 KB) small.
 */
const BATCH_RECORDS = 8192;
/** Page ids a policy starts with room for (it doubles from there). */
const INITIAL_PAGES = 1 << 16;

export interface StreamOptions {
  /** called after every batch with the references read so far */
  onProgress?: (refs: number) => void;
  /** page ids to make room for at first (default 65536); tests start at 1 to make growth happen */
  initialPages?: number;
  /** streamPolicy: references replayed before counting starts (warmup.ts) */
  warmup?: number;
}

/** A streamed trace's totals, for the lines and reports that describe it. */
export interface StreamedTrace {
  /** references (the sum of repeat counts) */
  requests: number;
  /** distinct pages */
  pageCount: number;
  /** with a warm-up, the distinct pages referenced during it */
  warmupPages?: number;
}

/**
 * Read `source` to its end, feeding each record's dense page id to `consume(ids, flags, counts,
 * n, pages)` a batch at a time (`pages` holds the page numbers the ids stand for). `grow(pageCount)`
 * is called at the start and then, before a batch, whenever new pages have raised the page count
 * past the last one announced (doubling it), so arrays indexed by id can grow. The streamed LRU
 * curves (mrc.ts streamCurves) read traces through this too.
 */
export function streamDenseIds(
  source: RefSource,
  grow: (pageCount: number) => void,
  consume: (ids: Int32Array, flags: Uint8Array, counts: Uint32Array, n: number, pages: Float64Array) => void,
  options: StreamOptions = {},
): StreamedTrace {
  const batch = new RefBatch(BATCH_RECORDS);
  const ids = new Int32Array(BATCH_RECORDS);
  let room = Math.max(1, options.initialPages ?? INITIAL_PAGES);
  const map = new PageIdMap(room);
  const onProgress = options.onProgress;
  grow(room);
  let requests = 0;
  for (;;) {
    const got = source.read(batch);
    if (got === 0) break;
    map.remap(batch.page, got, ids, 0);
    if (map.size > room) {
      while (room < map.size) room *= 2;
      grow(room);
    }
    consume(ids, batch.flags, batch.count, got, batch.page);
    const counts = batch.count;
    let refs = got;
    for (let i = 0; i < got; i++) refs += counts[i]! - 1;
    requests += refs;
    onProgress?.(requests);
  }
  return { requests, pageCount: map.size };
}

/** Replay `source` through `policy` (created for no pages: streamDenseIds announces them); the miss count. */
function streamInto(source: RefSource, policy: Policy, options: StreamOptions): { misses: number } & StreamedTrace {
  let misses = 0;
  const trace = streamDenseIds(
    source,
    (pageCount) => policy.growPages(pageCount),
    (ids, flags, counts, n) => {
      for (let i = 0; i < n; i++) {
        const page = ids[i]!;
        const write = (flags[i]! & REF_WRITE) !== 0;
        if (!policy.access(page, write, 0)) misses++;
        // a repeat count: the references after the first (they hit, but the policy must see them)
        for (let c = counts[i]!; c > 1; c--) if (!policy.access(page, write, 0)) misses++;
      }
    },
    options,
  );
  return { misses, ...trace };
}

/**
 * `spec` at `frames` frames over `source`, read once; the row `runPolicy` would give for the
 * loaded trace, and the trace's totals.
 */
export function streamPolicy(
  source: RefSource,
  spec: PolicySpec,
  frames: number,
  options: StreamOptions = {},
): { row: CompareRow; trace: StreamedTrace } {
  if (spec.factory.needsNextUse) throw new Error(`streamPolicy: ${spec.factory.name} needs the whole trace (next uses)`);
  const label = { policy: spec.label, frames };
  if (frames < spec.factory.minCapacity) {
    // nothing to simulate, but the trace's totals are still wanted
    const trace = streamDenseIds(source, () => {}, () => {}, options);
    const note = `${spec.factory.name} needs at least ${spec.factory.minCapacity} frames`;
    return { row: { ...label, requests: trace.requests - (options.warmup ?? 0), misses: null, missRatio: null, writebacks: null, note }, trace };
  }
  const warmup = options.warmup ?? 0;
  const policy = withWarmup(spec.factory.create(frames, spec.params, 0), warmup);
  const r = streamInto(source, policy, options);
  const trace = { requests: r.requests, pageCount: r.pageCount, ...(policy instanceof WarmedUp ? { warmupPages: policy.warmupPages } : {}) };
  const requests = r.requests - warmup;
  const row = { ...label, requests, misses: r.misses, missRatio: requests === 0 ? 0 : r.misses / requests, writebacks: policy.writebacks };
  return { row, trace };
}
