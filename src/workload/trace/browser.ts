/**
 * The trace surface with no Node imports: parse bytes already in memory (the visualizer's
 * dropped file), detect formats, decode the compact format.
 */
export { openTraceBytes, type OpenBytesOptions } from './bytes.js';
export { TraceRefSource } from './source.js';
export {
  TRACE_FORMATS,
  TRACE_FORMAT_DESCRIPTIONS,
  TRACE_EXTENSIONS,
  DEFAULT_PAGE_SIZE,
  detectTraceFormat,
  detectCompression,
  formatFromName,
  formatFromContent,
  parseTraceFormat,
  createTraceParser,
  type TraceFormat,
  type TraceOptions,
  type Compression,
} from './formats.js';
export { LackeyTextParser, type LackeyParserOptions } from './lackey.js';
export { IdLineParser } from './id-lines.js';
export { SpecAddressParser } from './spec.js';
export { CsvParser, parseCsvColumnsSpec, type CsvColumns } from './csv.js';
export { OracleGeneralParser } from './oracle-general.js';
export { CompactParser, decodeCompactHeader, type CompactHeader } from './compact-format.js';
export { RefStage, type RefSink, type TraceParser } from './sink.js';
export { MemoryChunks, ZstdChunks, type ChunkSource } from './chunks.js';
