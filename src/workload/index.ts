/**
 * The workload layer's surface: where page-reference streams and scenarios come from. Other
 * layers (cli, report, web) import from here only.
 *
 *  - scenario files: loadScenario (shipped name, path, or the embedded default), loadScenarioFile,
 *    parseScenarioText, listShippedScenarios; parseScenario over any ScenarioFiles (no Node)
 *  - overrides of a scenario from flags or sweep points: applyOverrides and friends
 *  - synthetic generators: createGenerator, GENERATOR_KINDS
 *  - trace files: openTrace (every format, gzip/zstd), CompactTraceWriter, LackeyTextParser
 *  - capturing a program under valgrind lackey: captureTrace
 */
export {
  DEFAULT_SCENARIO,
  SCENARIOS_DIR,
  listShippedScenarios,
  loadScenario,
  loadScenarioFile,
  parseScenarioText,
  reseedScenario,
  type ShippedScenario,
} from './scenario-file.js';
export { parseScenario, type ScenarioFiles } from './scenario-text.js';
export {
  KERNEL_OPTION_NAMES,
  applyOverrides,
  commandLineLocation,
  distinctPages,
  parseFixes,
  parseSetFlags,
  type LocateOverride,
  type RawValue,
  type ScenarioOverrides,
} from './overrides.js';
export { GENERATOR_KINDS, createGenerator, describeGenerator, generatorLength, type GeneratorKind, type GeneratorSpec } from './generators.js';
export * from './trace/index.js';
export { describeCompactHeader } from './trace/compact-format.js';
export { captureTrace, defaultTraceName, findValgrind, type CaptureOptions, type CaptureProgress, type CaptureResult } from './capture.js';
export { LackeyFoldFilter, type FoldStats } from './lackey-fold.js';
