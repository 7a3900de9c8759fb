/** Every cache-mode policy, in the order tables list them. A new policy is one file plus one line here. */
import type { PolicyFactory } from '../policy.js';
import { opt } from './opt.js';
import { lru } from './lru.js';
import { fifo } from './fifo.js';
import { clock } from './clock.js';
import { twoQ } from './two-q.js';
import { arc } from './arc.js';
import { lirs } from './lirs.js';
import { clockPro } from './clock-pro.js';
import { sieve } from './sieve.js';
import { s3Fifo } from './s3-fifo.js';
import { lfu } from './lfu.js';
import { mru } from './mru.js';
import { random } from './random.js';
import { lruK } from './lru-k.js';
import { car } from './car.js';

export const POLICIES: readonly PolicyFactory<Record<string, number>>[] = [
  opt,
  lru,
  fifo,
  clock,
  twoQ,
  arc,
  lirs,
  clockPro,
  sieve,
  s3Fifo,
  lfu,
  mru,
  random,
  lruK,
  car,
];

export function findPolicy(name: string): PolicyFactory<Record<string, number>> | undefined {
  const lower = name.toLowerCase();
  return POLICIES.find((p) => p.name === lower);
}

export { opt, lru, fifo, clock, twoQ, arc, lirs, clockPro, sieve, s3Fifo, lfu, mru, random, lruK, car };
