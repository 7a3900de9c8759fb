/**
 * Policies × sizes over one trace: the rows of `pageout compare` and `pageout mrc`.
 */
import { nextUsesCompact, type DenseTrace } from './dense-trace.js';
import type { PolicyFactory } from './policy.js';
import { replay } from './replay.js';
import { withWarmup } from './warmup.js';

/** A policy with its parameters resolved, and the name its rows carry. */
export interface PolicySpec {
  factory: PolicyFactory<Record<string, number>>;
  params: Record<string, number>;
  /** the name in tables: the policy's name, plus its parameters when they are not the defaults */
  label: string;
}

/** One row of a comparison. Counts are null when the policy could not run at this size (`note` says why). */
export interface CompareRow {
  policy: string;
  frames: number;
  requests: number;
  misses: number | null;
  missRatio: number | null;
  writebacks: number | null;
  note?: string;
}

/** The spec of `factory` with `params` (already parsed), labelled `name(k=v,…)` when not default. */
export function policySpec(factory: PolicyFactory<Record<string, number>>, params: Record<string, number>): PolicySpec {
  const changed = factory.params.filter((p) => params[p.key] !== p.defaultValue).map((p) => `${p.key}=${params[p.key]}`);
  return { factory, params, label: changed.length === 0 ? factory.name : `${factory.name}(${changed.join(',')})` };
}

/**
 * Run one policy at one size. `nextUse` is computed when OPT needs it and none is given. With a
 * `warmup`, the first so many references are replayed but not counted (warmup.ts).
 */
export function runPolicy(trace: DenseTrace, spec: PolicySpec, frames: number, nextUse?: Float64Array | Uint32Array, warmup = 0): CompareRow {
  const requests = trace.requests - warmup;
  const row = { policy: spec.label, frames, requests };
  if (frames < spec.factory.minCapacity) {
    return { ...row, misses: null, missRatio: null, writebacks: null, note: `${spec.factory.name} needs at least ${spec.factory.minCapacity} frames` };
  }
  const policy = withWarmup(spec.factory.create(frames, spec.params, trace.pageCount), warmup);
  const future = spec.factory.needsNextUse ? (nextUse ?? nextUsesCompact(trace)) : null;
  const r = replay(trace, policy, future);
  return { ...row, misses: r.misses, missRatio: requests === 0 ? 0 : r.misses / requests, writebacks: r.writebacks };
}

/** Every spec at every size, sizes outermost; OPT's next-use array is computed once. `warmup` as runPolicy's. */
export function comparePolicies(
  trace: DenseTrace,
  specs: readonly PolicySpec[],
  sizes: readonly number[],
  onRow?: (row: CompareRow) => void,
  warmup = 0,
): CompareRow[] {
  const nextUse = specs.some((s) => s.factory.needsNextUse) ? nextUsesCompact(trace) : undefined;
  const rows: CompareRow[] = [];
  for (const frames of sizes) {
    for (const spec of specs) {
      const row = runPolicy(trace, spec, frames, nextUse, warmup);
      rows.push(row);
      onRow?.(row);
    }
  }
  return rows;
}
