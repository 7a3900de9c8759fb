export { Clock, type Ns, type Timer } from './clock.js';
export { MinHeap } from './heap.js';
export { Rng } from './rng.js';
export { Scheduler, Thread, type Continuation, type WaitEvent, type WaitResult, type UserRunner } from './scheduler.js';
