/**
 * Trace readers and writers: the surface other layers import.
 *
 * Browser code must import './browser.js' instead (the same minus file access).
 */
export { openTrace, nodeGunzip } from './file.js';
export * from './browser.js';
export { CompactTraceWriter, type CompactTraceHeader } from './compact.js';
export { createTraceWriter, TRACE_OUTPUT_FORMATS, type TraceWriter, type TraceOutputFormat } from './writers.js';
export { inspectTrace, type TraceInspection, type WorkingSetPoint } from './inspect.js';
export { PageSet } from './page-set.js';
