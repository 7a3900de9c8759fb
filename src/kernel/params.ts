/**
 * The seed's tunables (#defines of vm_pageout.c) and the threshold derivation of vm_pageout(),
 * spec §1.5. Presets: `gnumach-1999` is the seed (default), `cmu-1987` the CMU/Utah constants
 * before Bushnell's 1999 change, `gnumach-2014` the retune of GM 91f0887c.
 */
import { InputError, type InputLocation } from '../errors.js';
import type { PresetName, Thresholds, Tunables, TunableName } from './index-types.js';
import type { Scenario } from './scenario.js';

export interface Preset {
  name: PresetName;
  description: string;
  /** VM_PAGEOUT_BURST_MAX: pages sent to pagers per scan before a pause */
  burstMax: number;
  /** VM_PAGEOUT_BURST_MIN: laundry above this raises burst_wait */
  burstMin: number;
  /** VM_PAGEOUT_BURST_WAIT: initial milliseconds of pause per outstanding page (adaptive) */
  burstWaitMs: number;
  /** VM_PAGEOUT_EMPTY_WAIT: minimum pause when the inactive queue is empty */
  emptyWaitMs: number;
  /** VM_PAGEOUT_PAUSE_MAX: pauses without adjustment before burst_wait decays */
  pauseMax: number;
  /** VM_PAGE_FREE_RESERVED: below this only vm-privileged threads allocate */
  freeReserved: number;
  /** VM_PAGEOUT_RESERVED_INTERNAL(reserve): below this, external pages are double-paged */
  reservedInternal: (reserve: number) => number;
  /** VM_PAGEOUT_RESERVED_REALLY(reserve): below this, with laundry out, the daemon only waits */
  reservedReally: (reserve: number) => number;
  /** vm_page_free_min = reserve + VM_PAGE_FREE_MIN(free_after_reserve) */
  freeMin: (reserve: number, freeAfterReserve: number) => number;
  /** vm_page_free_target = reserve + VM_PAGE_FREE_TARGET(free_after_reserve) */
  freeTarget: (reserve: number, freeAfterReserve: number) => number;
  /** VM_PAGE_EXTERNAL_LIMIT / TARGET; absent before 1999 (Infinity: never engages) */
  externalLimit: (freeAfterReserve: number) => number;
  externalTarget: (freeAfterReserve: number) => number;
}

const div = (a: number, b: number): number => Math.trunc(a / b); // C integer division

/**
 * The seed's variables are `unsigned int`s. VM_PAGEOUT_RESERVED_INTERNAL and _REALLY subtract a
 * constant from the reserve: a reserve below it (`--set vm_page_free_reserved=20` under
 * gnumach-1999) wraps to about 4.29e9, and every `free_count <` test against it holds: the daemon
 * double-pages every dirty external page (S14) and does nothing while any laundry is out (S4).
 * Mach did exactly that.
 */
const unsignedInt = (v: number): number => v >>> 0;

const GNUMACH_1999: Preset = {
  name: 'gnumach-1999',
  description: 'the seed: GNU Mach vm_pageout.c 1999–2011 (Bushnell external-page limits)',
  burstMax: 10,
  burstMin: 5,
  burstWaitMs: 10,
  emptyWaitMs: 75,
  pauseMax: 10,
  freeReserved: 50,
  reservedInternal: (r) => r - 25,
  reservedReally: (r) => r - 40,
  freeMin: (r, f) => r + 10 + div(f, 100),
  freeTarget: (r, f) => r + 15 + div(f, 80),
  externalLimit: (f) => div(f, 2),
  externalTarget: (f) => div(f, 4),
};

export const PRESETS: Record<PresetName, Preset> = {
  'gnumach-1999': GNUMACH_1999,
  'cmu-1987': {
    ...GNUMACH_1999,
    name: 'cmu-1987',
    description: 'CMU/Utah constants before 1999-06-27 (GM f07a4c84): no external-page limit',
    burstWaitMs: 30,
    emptyWaitMs: 200,
    freeReserved: 15,
    reservedInternal: (r) => r - 5,
    reservedReally: (r) => r - 10,
    externalLimit: () => Infinity,
    externalTarget: () => Infinity,
  },
  'gnumach-2014': {
    ...GNUMACH_1999,
    name: 'gnumach-2014',
    description: 'GNU Mach 2014 retune (GM 91f0887c): larger reserve and targets',
    freeReserved: 500,
    reservedInternal: (r) => r - 250,
    reservedReally: (r) => r - 400,
    freeMin: (r, f) => r + 100 + div(f * 8, 100),
    freeTarget: (r, f) => r + 150 + div(f * 10, 100),
  },
};

/** The daemon's own parameters after vm_pageout() initialised them. */
export interface DaemonParams {
  burstMax: number;
  burstMin: number;
  burstWaitMs: number;
  emptyWaitMs: number;
  pauseMax: number;
}

/**
 * vm_pageout(): fill every variable still 0 from its #define, deriving the thresholds from the
 * free count *when the daemon starts* (spec §12.15). A tunable given by the user plays the part
 * of a variable patched before boot.
 */
export function deriveThresholds(
  preset: Preset,
  tunables: Tunables,
  freeCountAtStart: number,
): { thresholds: Thresholds; daemon: DaemonParams } {
  const t = (name: TunableName, dflt: () => number): number => {
    const v = tunables[name];
    return v === undefined || v === 0 ? dflt() : v;
  };
  const daemon: DaemonParams = {
    burstMax: t('vm_pageout_burst_max', () => preset.burstMax),
    burstMin: t('vm_pageout_burst_min', () => preset.burstMin),
    burstWaitMs: t('vm_pageout_burst_wait', () => preset.burstWaitMs),
    emptyWaitMs: t('vm_pageout_empty_wait', () => preset.emptyWaitMs),
    pauseMax: t('vm_pageout_pause_max', () => preset.pauseMax),
  };
  const reserved = effectiveFreeReserved(preset, tunables);
  const freeAfterReserve = freeCountAtStart - reserved;
  const freeMin = t('vm_page_free_min', () => preset.freeMin(reserved, freeAfterReserve));
  let freeTarget = t('vm_page_free_target', () => preset.freeTarget(reserved, freeAfterReserve));
  if (freeTarget < freeMin + 5) freeTarget = freeMin + 5;
  const thresholds: Thresholds = {
    vm_page_free_reserved: reserved,
    vm_page_free_min: freeMin,
    vm_page_free_target: freeTarget,
    vm_pageout_reserved_internal: t('vm_pageout_reserved_internal', () => unsignedInt(preset.reservedInternal(reserved))),
    vm_pageout_reserved_really: t('vm_pageout_reserved_really', () => unsignedInt(preset.reservedReally(reserved))),
    vm_page_external_limit: t('vm_page_external_limit', () => preset.externalLimit(freeAfterReserve)),
    vm_page_external_target: t('vm_page_external_target', () => preset.externalTarget(freeAfterReserve)),
  };
  return { thresholds, daemon };
}

/**
 * Memory too small for the preset is bad input, not a kernel panic: the daemon needs its free
 * target below the free count, or it can never rest. Returns the smallest workable page count.
 */
export function minimumMemoryPages(preset: Preset, bootWiredPages: number, freeReserved = preset.freeReserved): number {
  // free_target ≈ reserve + 15 + F/80 must sit below the free count with room for user pages
  return bootWiredPages + Math.max(4 * freeReserved, freeReserved + 200);
}

/** vm_page_free_reserved as a run will have it: the tunable when set (0 = unset), else the preset's. */
export function effectiveFreeReserved(preset: Preset, tunables: Tunables): number {
  const set = tunables.vm_page_free_reserved;
  return set === undefined || set === 0 ? preset.freeReserved : set;
}

/**
 * The most frames the model boots with: it keeps a page structure and queue links per frame (about
 * 270 bytes each), so 2^22 frames (16 GiB of 4 KiB pages) take about a gigabyte. GNU Mach itself was
 * a 32-bit kernel: 4 GiB of physical memory at most.
 */
export const MAX_MEMORY_PAGES = 1 << 22;

/**
 * `freeReserved` is the run's vm_page_free_reserved (effectiveFreeReserved): a reserve raised by
 * --set raises the minimum with it, where checking against the preset's let a run boot that could
 * only deadlock.
 */
export function checkMemory(
  preset: Preset,
  memoryPages: number,
  bootWiredPages: number,
  at: InputLocation = { file: 'scenario', field: 'machine.memory' },
  freeReserved = preset.freeReserved,
): void {
  if (memoryPages > MAX_MEMORY_PAGES) {
    throw new InputError(at, `at most ${MAX_MEMORY_PAGES.toLocaleString('en-US')} pages (the model keeps a page structure per frame)`, `${memoryPages.toLocaleString('en-US')} pages`);
  }
  const min = minimumMemoryPages(preset, bootWiredPages, freeReserved);
  if (memoryPages < min) {
    const reserve = freeReserved === preset.freeReserved ? `free_reserved ${freeReserved}` : `vm_page_free_reserved set to ${freeReserved.toLocaleString('en-US')}`;
    throw new InputError(
      at,
      `at least ${min.toLocaleString('en-US')} pages for preset ${preset.name} (${reserve}, ${bootWiredPages.toLocaleString('en-US')} boot-wired pages)`,
      `${memoryPages.toLocaleString('en-US')} pages`,
    );
  }
}

/**
 * Whether the scenario's machine can boot: its memory against its preset and its reserve as the
 * tunables set it. The one check Simulation makes at boot, and the one a sweep makes of every
 * point before any runs, so the two cannot drift apart.
 */
export function checkScenarioMemory(s: Scenario): void {
  const preset = PRESETS[s.preset];
  checkMemory(preset, s.machine.memoryPages, s.machine.bootWiredPages, s.memoryAt, effectiveFreeReserved(preset, s.tunables));
}
