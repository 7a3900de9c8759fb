/** The kernel model's public surface. */
export { createSimulation, runScenario, Simulation } from './simulation.js';
export type { SimulationHandle, RunOptions, Progress, FrameInfo } from './api.js';
export { FrameState, FRAME_DIRTY, FRAME_EXTERNAL, FRAME_HOLDING, FRAME_REFERENCED } from './api.js';
export { narrate, assertNever, type KernelEvent, type ScanStep, type PageRef } from './events.js';
export type * from './result.js';
export * from './scenario.js';
export { RefBatch, REF_INSTR, REF_WRITE, type RefSource } from './ref-source.js';
export { PRESETS, checkScenarioMemory, deriveThresholds, minimumMemoryPages } from './params.js';
export { KernelPanic, KernelLivelock } from './assert.js';
