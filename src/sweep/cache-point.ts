/**
 * A cache-mode sweep point: one trace replayed through one policy at one size, exactly as
 * `pageout compare` computes a row, the `mach` row included. How its trace is read, and kept
 * between points, is cache-trace.ts.
 */
import { basename } from 'node:path';
import { InputError, InputErrors, quote, type InputLocation } from '../errors.js';
import { afterWarmup, findPolicy, nextUseOf, POLICIES, policySpec, prefixOf, runPolicy, type CompareRow, type PolicyFactory } from '../cache/index.js';
import { machRow, type MachRowOptions } from '../cache/mach-row.js';
import { parseCount, parseMemory, parsePercent } from '../units.js';
import { machRowSettings } from '../workload/mach-settings.js';
import type { LocateOverride, RawValue, ScenarioOverrides } from '../workload/overrides.js';
import { denseTrace } from './cache-trace.js';
import { policyParamOf, type CachePointValues } from './spec.js';

/** The row of one cache point: the trace's size and the policy's counts (null when it cannot run at that size). */
export interface CachePointResult {
  /** the trace file as opened */
  traceFile: string;
  /** the policy as `pageout compare` labels it */
  policyName: string;
  frames: number;
  /** references replayed before counting began (0: none) */
  warmup: number;
  /** references counted (after the warm-up) */
  requests: number;
  distinctPages: number;
  misses: number | null;
  missRatio: number | null;
  writebacks: number | null;
  note: string;
}

export const CACHE_COLUMNS: readonly (keyof CachePointResult)[] = ['traceFile', 'policyName', 'frames', 'warmup', 'requests', 'distinctPages', 'misses', 'missRatio', 'writebacks', 'note'];

/** A warm-up must leave references to count: the same words before the run as during it. */
export function checkWarmupFits(warmup: number, references: number, path: string, written: RawValue, at: InputLocation): void {
  if (warmup >= references) throw new InputError(at, `fewer references than ${basename(path)} holds (${references.toLocaleString('en-US')})`, quote(written));
}

/** The policy's factory, or an InputError listing the policies (`mach`, the kernel, among them). */
export function cachePolicy(name: string, at: InputLocation): PolicyFactory<Record<string, number>> | 'mach' {
  const lower = name.toLowerCase();
  if (lower === 'mach') return 'mach';
  const factory = findPolicy(lower);
  if (!factory) throw new InputError(at, `a policy among ${[...POLICIES.map((p) => p.name), 'mach'].join(', ')}`, quote(name));
  return factory;
}

/**
 * The parameters the point gives `factory` (its `param.<policy>.<key>` values), checked as
 * compare's --param checks them, each error at its key's line.
 */
export function cachePolicyParams(factory: PolicyFactory<Record<string, number>>, params: CachePointValues['params'] = {}, at: (key: string) => InputLocation): Record<string, number> {
  const mine = new Map<string, string>();
  const errors: InputError[] = [];
  for (const [sweepKey, value] of Object.entries(params)) {
    const param = policyParamOf(sweepKey);
    if (param === null || param.policy !== factory.name) continue;
    try {
      factory.parseParams(new Map([[param.key, String(value)]]), { file: 'sweep' });
      mine.set(param.key, String(value));
    } catch (e) {
      // parseParams names compare's `--param policy.key`; the sweep file has its own key and line
      if (!(e instanceof InputError)) throw e;
      errors.push(new InputError(at(sweepKey), e.expected, e.got));
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return factory.parseParams(mine, { file: 'sweep' });
}

/**
 * `1024` frames, `25%` of the distinct pages, or a memory size in pages of `pageSize` bytes (the
 * trace's: a compact trace's own, else 4 KiB), as `pageout compare` counts them.
 */
export function cacheFrames(size: RawValue, distinctPages: number, pageSize: number, at: InputLocation): number {
  if (typeof size === 'boolean') throw new InputError(at, 'a cache size: frames (1024), a share (25%) or a memory size (4MiB)', quote(size));
  if (typeof size === 'string') {
    const share = parsePercent(size, at);
    if (share !== null) return Math.max(1, Math.round(share * distinctPages));
    if (/[a-z]/i.test(size)) return parseMemory(size, pageSize, at);
  }
  const n = parseCount(size, at, 'a cache size: frames ≥ 1 (1024), a share (25%) or a memory size (4MiB)');
  if (n < 1) throw new InputError(at, 'a cache size of at least 1 frame', quote(size));
  return n;
}

/** A warm-up's spelling: references from 0 (none), as `pageout compare --warmup` counts them. */
export function cacheWarmup(warmup: RawValue | undefined, at: InputLocation): number {
  if (warmup === undefined) return 0;
  const expected = 'a count of references from 0 (none), such as 100000';
  if (typeof warmup === 'boolean') throw new InputError(at, expected, quote(warmup));
  return parseCount(warmup, at, expected);
}

/**
 * The mach point's kernel: the sweep's preset, fixes, tunables and options applied as compare's
 * --mach-preset, --mach-fix and --mach-set apply them (mach-settings.ts); with the trace's page
 * size unknown (it cannot be read, said elsewhere), all but the tunables' values are checked.
 */
export function machPointOptions(overrides: ScenarioOverrides, locate: LocateOverride, pageSize: number | null): MachRowOptions {
  const settings = machRowSettings(overrides, locate);
  if (pageSize !== null) return settings.rowOptions(pageSize);
  settings.checkWithoutPages();
  return {};
}

export function runCachePoint(
  c: CachePointValues,
  overrides: ScenarioOverrides,
  at: (key: string) => InputLocation,
  locate: LocateOverride,
): CachePointResult {
  const policy = cachePolicy(c.policy, at('policy'));
  const params = policy === 'mach' ? null : cachePolicyParams(policy, c.params, at);
  const warmup = cacheWarmup(c.warmup, at('warmup'));
  const entry = denseTrace(c.trace, c.read, at);
  const frames = cacheFrames(c.size, entry.trace.pageCount, entry.pageSize, at('size'));
  if (warmup > 0) checkWarmupFits(warmup, entry.trace.requests, c.trace, c.warmup!, at('warmup'));
  let row: CompareRow;
  if (policy === 'mach') {
    const options = machPointOptions(overrides, locate, entry.pageSize);
    // the kernel is causal: a warm-up is the whole run less the warm-up's own, as compare takes it
    const whole = machRow(entry.trace, frames, options);
    row = warmup === 0 ? whole : afterWarmup(whole, machRow(prefixOf(entry.trace, warmup), frames, options), warmup);
  } else {
    const spec = policySpec(policy, params!);
    if (policy.needsNextUse && entry.nextUse === null) entry.nextUse = nextUseOf(entry.trace);
    row = runPolicy(entry.trace, spec, frames, entry.nextUse ?? undefined, warmup);
  }
  return {
    traceFile: c.trace, policyName: row.policy, frames: row.frames, warmup, requests: row.requests, distinctPages: entry.trace.pageCount,
    misses: row.misses, missRatio: row.missRatio, writebacks: row.writebacks, note: row.note ?? '',
  };
}
