/**
 * The one interface every cache-mode replacement policy implements (STYLE §2.2), and the
 * declarative parameter tables that `pageout policies` lists and `--param` sets.
 *
 * Policies see dense page ids 0..pageCount-1 (remapped once per trace, dense-trace.ts), keep all
 * state in typed arrays sized by the page count or the capacity, and never allocate per access.
 */
import { InputError, quote, type InputLocation } from '../errors.js';

/** nextUse of a reference with no later reference to the same page. */
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface Policy {
  /**
   * Reference `page`; true on a hit. On a miss: evict if full (a dirty victim is a write-back),
   * then insert. Never allocates. `nextUse` is the index of the next reference to the same page
   * (NEVER if none); only OPT reads it.
   */
  access(page: number, write: boolean, nextUse: number): boolean;
  /** dirty pages evicted so far */
  readonly writebacks: number;
  /** resident pages; never above capacity */
  readonly resident: number;
  /**
   * Make room for page ids 0..pageCount−1 (pageCount above the one given so far); pages already
   * seen keep their state. Streaming replay (stream.ts) calls it between accesses as new pages
   * appear, so a policy never needs the trace's page count in advance.
   */
  growPages(pageCount: number): void;
  /** Throws if the policy's lists disagree with its counts; property tests call it after every access. */
  checkInvariants(): void;
}

/** One settable parameter, as `pageout policies` lists it. */
export interface ParamInfo {
  key: string;
  /** the default, as typed on the command line */
  defaultValue: number;
  /** inclusive bounds */
  min: number;
  max: number;
  integer: boolean;
  description: string;
}

export interface PolicyFactory<P extends object = object> {
  /** as typed on the command line: "arc" */
  readonly name: string;
  /** one line for `pageout policies` */
  readonly description: string;
  /** paper + reference code whose miss counts we equal, and deliberate differences */
  readonly source: string;
  readonly params: readonly ParamInfo[];
  /** Check user-given `key → value` pairs; unknown keys and bad values are InputErrors. */
  parseParams(raw: ReadonlyMap<string, string>, at: InputLocation): P;
  /** true for OPT: replay must pass each reference's next use (nextUseOf) */
  readonly needsNextUse?: boolean;
  /** The smallest capacity the policy is defined for (1 for most). */
  readonly minCapacity: number;
  /**
   * A policy with room for `capacity` pages over page ids 0..pageCount-1. (pageCount is our one
   * addition to STYLE's shape: typed arrays are sized once, so the hot path has no bounds growth.)
   */
  create(capacity: number, params: P, pageCount: number): Policy;
}

/**
 * Parse `raw` against a parameter table into `{ key: number }`, defaults filled in. The error for
 * an unknown key names the policy, the key and the keys it has, like libCacheSim's parser.
 */
export function parseParamTable(
  policy: string,
  table: readonly ParamInfo[],
  raw: ReadonlyMap<string, string>,
  at: InputLocation,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of table) out[p.key] = p.defaultValue;
  for (const [key, value] of raw) {
    const info = table.find((p) => p.key === key);
    const where: InputLocation = { ...at, field: `${at.field ?? '--param'} ${policy}.${key}` };
    if (!info) {
      const keys = table.length === 0 ? 'none' : table.map((p) => p.key).join(', ');
      throw new InputError({ ...at, field: `${at.field ?? '--param'} ${policy}` }, `a parameter of ${policy} (it has: ${keys})`, quote(key));
    }
    const v = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
    const kind = info.integer ? 'a whole number' : 'a number';
    if (!Number.isFinite(v) || (info.integer && !Number.isInteger(v)) || v < info.min || v > info.max) {
      throw new InputError(where, `${kind} from ${info.min} to ${info.max}`, quote(value));
    }
    out[key] = v;
  }
  return out;
}

/** Throw when a policy's internal state is inconsistent (our bug, not the user's). */
export function invariant(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new Error(`cache invariant: ${message()}`);
}
