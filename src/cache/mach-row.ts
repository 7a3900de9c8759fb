/**
 * The `mach` row of a comparison: the kernel-mode model (src/kernel) driven like a cache policy.
 * The whole trace is one task over anonymous memory (no regions), pagers answer in zero time, each
 * reference costs a fixed CPU time, and physical memory is the row's frame count; the kernel keeps
 * its own reserves out of that memory, as GNU Mach does. Misses are page-ins plus zero fills (a
 * first touch), write-backs are page-outs. The only module of src/cache that imports the kernel.
 */
import {
  DEFAULT_MACHINE,
  DEFAULT_OPTIONS,
  NO_FIXES,
  RefBatch,
  REF_WRITE,
  runScenario,
  type DiskSpec,
  type PagerSpec,
  type PresetName,
  type RefSource,
  type RunResult,
  type Scenario,
} from '../kernel/index.js';
import { isInputError } from '../errors.js';
import type { CompareRow } from './compare.js';
import { denseTraceOf, type DenseTrace } from './dense-trace.js';

export interface MachRowOptions {
  /** CPU time per reference; default 10 ns (DEFAULT_MACHINE) */
  cpuNsPerRef?: number;
  preset?: PresetName;
  /** the seed's defects fixed (default: faithful) */
  fixes?: { B1: boolean; B2: boolean; B3: boolean };
  /**
   * Changes to the comparison-setting scenario before it runs (`pageout compare --mach-preset,
   * --mach-fix, --mach-set` apply the overrides `pageout run` takes), so that src/cache needs
   * nothing of the scenario files' parsing.
   */
  configure?: (scenario: Scenario) => Scenario;
  /** the row's policy name; default `mach` */
  label?: string;
}

const ZERO_DISK: DiskSpec = { readLatencyNs: 0, writeLatencyNs: 0, perPageNs: 0 };

function zeroLatencyPager(): PagerSpec {
  return { disk: { ...ZERO_DISK }, faults: { writeErrorRate: 0, readErrorRate: 0 }, neverDeallocate: false };
}

/** The trace's dense ids as a page stream (page = dense id, so the kernel's page table stays small). */
export function denseTraceSource(trace: DenseTrace): RefSource {
  let at = 0;
  let k = 0; // the next repeated record in trace.repeatAt
  return {
    description: trace.description,
    totalRefs: trace.requests,
    read(batch: RefBatch): number {
      const n = Math.min(batch.capacity, trace.records - at);
      const { ids, writes, repeatAt, repeatCount } = trace;
      for (let i = 0; i < n; i++) {
        batch.page[i] = ids[at + i]!;
        batch.flags[i] = writes[at + i]! & REF_WRITE;
        batch.count[i] = 1;
      }
      for (; k < repeatAt.length && repeatAt[k]! < at + n; k++) batch.count[repeatAt[k]! - at] = repeatCount[k]!;
      at += n;
      return n;
    },
    close() {},
  };
}

/** The comparison-setting scenario for `frames` frames of physical memory. */
export function machScenario(trace: DenseTrace, frames: number, opts: MachRowOptions = {}): Scenario {
  return {
    name: 'mach (comparison setting)',
    description: `${trace.description} as one task, zero-latency pagers`,
    seed: 1,
    machine: { ...DEFAULT_MACHINE, memoryPages: frames, cpuNsPerRef: opts.cpuNsPerRef ?? DEFAULT_MACHINE.cpuNsPerRef },
    preset: opts.preset ?? 'gnumach-1999',
    tunables: {},
    fixes: { ...(opts.fixes ?? NO_FIXES) },
    options: { ...DEFAULT_OPTIONS },
    pagers: { default: zeroLatencyPager(), file: zeroLatencyPager() },
    tasks: [
      {
        name: 'trace',
        startNs: 0,
        source: () => denseTraceSource(trace),
        regions: [],
        unmapped: { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } },
      },
    ],
    maxSimNs: 0,
  };
}

/**
 * `configure` (the overrides `pageout run` takes) applied with sizes in bytes counted in the
 * trace's `pageSize`-byte pages, as --memory counts them: the row's frames are the trace's pages.
 * The scenario keeps its own page size.
 */
export function inTracePages(configure: (scenario: Scenario) => Scenario, pageSize: number): (scenario: Scenario) => Scenario {
  return (scenario) => {
    const configured = configure({ ...scenario, machine: { ...scenario.machine, pageSize } });
    return { ...configured, machine: { ...configured.machine, pageSize: scenario.machine.pageSize } };
  };
}

/** A comparison-setting scenario to check the row's settings against before a trace is read. */
export function machProbeScenario(): Scenario {
  return machScenario(denseTraceOf([0]), 1000);
}

/** The row's label with its kernel settings: `mach(gnumach-2014,fix=B2,vm_page_free_target=100)`. */
export function machLabel(changed: readonly string[]): string {
  return changed.length === 0 ? 'mach' : `mach(${changed.join(',')})`;
}

/** Run the kernel at `frames` frames; a size the kernel cannot boot with gives a row that says why. */
export function machRow(trace: DenseTrace, frames: number, opts: MachRowOptions = {}): CompareRow & { outcome?: string } {
  const base = { policy: opts.label ?? 'mach', frames, requests: trace.requests };
  // outside the try: a bad override is the caller's error, not a size the kernel refuses
  const plain = machScenario(trace, frames, opts);
  const scenario = opts.configure ? opts.configure(plain) : plain;
  let result: RunResult;
  try {
    result = runScenario(scenario);
  } catch (e) {
    // the size is the row's own, so "got 100 pages" is left out: one note then serves every size it refuses
    if (isInputError(e)) return { ...base, misses: null, missRatio: null, writebacks: null, note: e.message.replace(/^scenario machine\.memory: /, 'kernel: ').replace(/, got [\d,]+ pages?$/, '') };
    throw e;
  }
  const misses = result.misses;
  const row: CompareRow & { outcome?: string } = {
    ...base,
    misses,
    missRatio: trace.requests === 0 ? 0 : misses / trace.requests,
    writebacks: result.vmStat.pageouts,
  };
  if (result.outcome !== 'completed') {
    row.outcome = result.outcome;
    row.note = `kernel run ended in ${result.outcome}: ${result.outcomeDetail}`;
  }
  return row;
}
