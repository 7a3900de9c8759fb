/**
 * Built-in synthetic scenarios of the visualizer: small machines whose every frame is visible,
 * each showing one behaviour of the daemon, and one 64 MiB machine. Plain TypeScript over the
 * kernel's Scenario type and the seeded generators, so Node (the e2e test) builds the very same
 * scenario the browser runs.
 */
import { createGenerator, describeGenerator, type GeneratorSpec } from '../../src/workload/generators.js';
import {
  DEFAULT_MACHINE,
  DEFAULT_OPTIONS,
  NO_FIXES,
  defaultPager,
  type Backing,
  type MachineSpec,
  type RegionSpec,
  type Scenario,
  type TaskSpec,
} from '../../src/kernel/scenario.js';

const TEXT: Backing = { kind: 'file', file: 'text', offsetPages: 0 };
const ANONYMOUS: Backing = { kind: 'anonymous' };

interface TaskPlan {
  name: string;
  spec: GeneratorSpec;
  /** where the generator's pages live; every page it emits must fall inside one of these */
  regions: RegionSpec[];
  startNs?: number;
  seed: number;
}

function task(plan: TaskPlan): TaskSpec {
  return {
    name: plan.name,
    startNs: plan.startNs ?? 0,
    source: () => createGenerator(plan.spec, plan.seed),
    regions: plan.regions,
    unmapped: { instruction: TEXT, data: ANONYMOUS },
  };
}

function anonymous(name: string, startPage: number, pages: number): RegionSpec {
  return { name, startPage, pages, backing: ANONYMOUS, writable: true };
}

function mappedFile(name: string, file: string, startPage: number, pages: number): RegionSpec {
  return { name, startPage, pages, backing: { kind: 'file', file, offsetPages: 0 }, writable: false };
}

function scenario(name: string, description: string, memoryPages: number, tasks: TaskSpec[], machine: Partial<MachineSpec> = {}): Scenario {
  return {
    name,
    description,
    seed: 1,
    machine: { ...DEFAULT_MACHINE, ...machine, memoryPages },
    preset: 'gnumach-1999',
    tunables: {},
    fixes: { ...NO_FIXES },
    options: { ...DEFAULT_OPTIONS },
    pagers: { default: defaultPager(), file: defaultPager() },
    tasks,
    maxSimNs: 0,
  };
}

export interface Preset {
  id: string;
  title: string;
  build(): Scenario;
}

const hotset: GeneratorSpec = {
  kind: 'hotset', hotPages: 100, coldPages: 400, references: 40_000,
  hotProbability: 0.9, scanEvery: 8_000, scanLength: 150, writeFraction: 0.3,
};

const loopTask: GeneratorSpec = { kind: 'loop', pages: 700, iterations: 1_000, writeFraction: 0.2 };
const uniformTask: GeneratorSpec = { kind: 'uniform', pages: 900, references: 400_000, writeFraction: 0.5 };

const hotAnon: GeneratorSpec = {
  kind: 'hotset', hotPages: 500, coldPages: 200, references: 100_000,
  hotProbability: 0.95, scanEvery: 0, scanLength: 0, writeFraction: 0.4,
};
const fileScan: GeneratorSpec = { kind: 'sequential', pages: 2_000, passes: 2, writeFraction: 0, startPage: 0x10000 };

const bigHotset: GeneratorSpec = {
  kind: 'hotset', hotPages: 12_000, coldPages: 12_000, references: 400_000,
  hotProbability: 0.95, scanEvery: 100_000, scanLength: 3_000, writeFraction: 0.3,
};

export const PRESETS: readonly Preset[] = [
  {
    id: 'preset:hotset-1m',
    title: 'Hot set and scans — 1 MiB (256 frames)',
    build: () => scenario('hotset-1m', `one task: ${describeGenerator(hotset)}; 30 % writes`, 256, [
      task({ name: 'hotset', spec: hotset, regions: [anonymous('heap', 0, 500)], seed: 11 }),
    ]),
  },
  {
    id: 'preset:two-tasks-4m',
    title: 'Two tasks compete — 4 MiB (1,024 frames)',
    build: () => scenario('two-tasks-4m', 'a loop and a random writer, started 1 ms apart and sharing the CPU in 1 ms slices, together larger than memory', 1024, [
      task({ name: 'loop', spec: loopTask, regions: [anonymous('array', 0, 700)], seed: 21 }),
      task({ name: 'random', spec: uniformTask, regions: [anonymous('heap', 0, 900)], startNs: 1_000_000, seed: 22 }),
      // a 1 ms time slice, so the two really interleave (the default 100 ms outlasts both)
    ], { quantumNs: 1_000_000 }),
  },
  {
    id: 'preset:file-scan-4m',
    title: 'A file scan against a hot heap — 4 MiB (1,024 frames)',
    build: () => scenario('file-scan-4m', 'a task with a hot anonymous heap and a reader streaming a mapped file twice (external pages)', 1024, [
      task({ name: 'heap', spec: hotAnon, regions: [anonymous('heap', 0, 700)], seed: 31 }),
      task({ name: 'reader', spec: fileScan, regions: [mappedFile('data', 'data.bin', 0x10000, 2_000)], seed: 32 }),
    ]),
  },
  {
    id: 'preset:hotset-64m',
    title: 'Large machine — 64 MiB (16,384 frames)',
    build: () => scenario('hotset-64m', `one task: ${describeGenerator(bigHotset)}`, 16_384, [
      task({ name: 'hotset', spec: bigHotset, regions: [anonymous('heap', 0, 24_000)], seed: 41 }),
    ]),
  },
];
