/** The shared third-party traces (../shared/traces), read once per test process and remapped. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDenseTrace, type DenseTrace } from '../../src/cache/index.js';
import { openTrace } from '../../src/workload/trace/index.js';

export const SHARED = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));

const FILES: Record<string, string> = {
  cloudPhysicsIO: 'cloudphysics/cloudPhysicsIO.oracleGeneral.bin.gz',
  'spec-gcc': 'spec-address/gcc.trace.gz',
  'spec-swim': 'spec-address/swim.trace.gz',
};

export function tracePath(name: string): string {
  return SHARED + (FILES[name] ?? `lirs/${name}.trace.gz`);
}

export const HAVE_TRACES = existsSync(SHARED + 'lirs/cpp.trace.gz');

const cache = new Map<string, DenseTrace>();

/** A shared trace by short name: a LIRS-set name (cpp, sprite, …), spec-gcc, spec-swim or cloudPhysicsIO. */
export function sharedTrace(name: string): DenseTrace {
  let t = cache.get(name);
  if (!t) {
    const source = openTrace(tracePath(name));
    try {
      t = buildDenseTrace(source);
    } finally {
      source.close();
    }
    cache.set(name, t);
  }
  return t;
}
