/**
 * Cache mode: replacement policies over page-reference streams, side by side, and miss-ratio
 * curves. Pure (no Node, no DOM): the CLI and the browser both use it. The `mach` row, which
 * drives the kernel model, is imported separately from './mach-row.js' so policies stay light.
 */
export { NEVER, parseParamTable, type Policy, type PolicyFactory, type ParamInfo } from './policy.js';
export { PageLists, NIL } from './lists.js';
export { buildDenseTrace, denseTraceOf, nextUseOf, nextUsesCompact, COMPACT_NEVER, hashPage, PageIdMap, type DenseTrace } from './dense-trace.js';
export { replay, type ReplayCounts } from './replay.js';
export { POLICIES, findPolicy } from './policies/index.js';
export { Opt } from './policies/opt.js';
export { Lru } from './policies/lru.js';
export { Fifo } from './policies/fifo.js';
export { Clock } from './policies/clock.js';
export { TwoQ } from './policies/two-q.js';
export { Arc } from './policies/arc.js';
export { Lirs } from './policies/lirs.js';
export { ClockPro } from './policies/clock-pro.js';
export { Sieve } from './policies/sieve.js';
export { S3Fifo } from './policies/s3-fifo.js';
export { Lfu } from './policies/lfu.js';
export { Mru } from './policies/mru.js';
export { RandomPolicy } from './policies/random.js';
export { LruK } from './policies/lru-k.js';
export { Car } from './policies/car.js';
export { comparePolicies, runPolicy, policySpec, type PolicySpec, type CompareRow } from './compare.js';
export { streamPolicy, streamDenseIds, type StreamOptions, type StreamedTrace } from './stream.js';
export { lruCurve, shardsCurve, streamCurves, curveError, defaultSizes, type LruCurve, type SampledCurve } from './mrc.js';
export { WindowedWorkingSet, type WindowPoint } from './working-set.js';
export { prefixOf, afterWarmup, curveAfterWarmup, WarmedUp } from './warmup.js';
