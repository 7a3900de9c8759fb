/**
 * What `pageout inspect` reports about a trace, in one streaming pass: reference and record
 * counts, distinct pages (all, written, instruction), the write and instruction fractions, and
 * the footprint curve (distinct pages so far against references so far; `workingSet` in its JSON,
 * a name older than Denning's windowed working set beside it, src/cache/working-set.ts).
 *
 * The curve keeps evenly spaced points without knowing the trace's length: when 40 are taken,
 * every other one is dropped and the spacing doubles; at the end it is thinned to 30 at most
 * (15 to 30, plus the first reference and the last). The spacing is a
 * power of two even when the length is known (a compact trace says it), so one trace gives the
 * same curve in every format it is converted to.
 */
import { REF_INSTR, REF_WRITE, RefBatch, type RefSource } from '../../kernel/ref-source.js';
import { PageSet } from './page-set.js';

export interface WorkingSetPoint {
  references: number;
  distinctPages: number;
}

export interface TraceInspection {
  records: number;
  references: number;
  distinctPages: number;
  distinctWrittenPages: number;
  distinctInstructionPages: number;
  /** share of references that write */
  writeFraction: number;
  /** share of references that fetch instructions */
  instructionFraction: number;
  workingSet: WorkingSetPoint[];
}

const MIN_POINTS = 20;

export function inspectTrace(source: RefSource, onProgress?: (references: number) => void): TraceInspection {
  const batch = new RefBatch(8192);
  const all = new PageSet();
  const written = new PageSet();
  const instructions = new PageSet();
  let records = 0;
  let references = 0;
  let writes = 0;
  let instrs = 0;
  const points: WorkingSetPoint[] = [];
  let spacing = 1;
  let nextPoint = spacing;
  for (;;) {
    const n = source.read(batch);
    if (n === 0) break;
    const { page, flags, count } = batch;
    for (let i = 0; i < n; i++) {
      const p = page[i]!;
      const f = flags[i]!;
      const c = count[i]!;
      references += c;
      all.add(p);
      if (f & REF_WRITE) {
        writes += c;
        written.add(p);
      }
      if (f & REF_INSTR) {
        instrs += c;
        instructions.add(p);
      }
      // a point at each multiple of the spacing, exactly: a record repeating its page c times
      // has the same distinct count after its first reference as after its last, so a compact
      // trace's merged repeats give the points the one-per-line text gives
      while (references >= nextPoint) {
        points.push({ references: nextPoint, distinctPages: all.size });
        nextPoint += spacing;
        if (points.length >= 2 * MIN_POINTS) {
          spacing *= 2;
          const kept = thin(points, spacing);
          points.length = 0;
          points.push(...kept);
          const last = kept[kept.length - 1]!.references;
          nextPoint = last - (last % spacing) + spacing;
        }
      }
    }
    records += n;
    onProgress?.(references);
  }
  while (points.length > MIN_POINTS * 1.5) {
    spacing *= 2;
    const kept = thin(points, spacing);
    points.length = 0;
    points.push(...kept);
  }
  const last = points[points.length - 1];
  if (references > 0 && (last === undefined || last.references !== references)) points.push({ references, distinctPages: all.size });
  return {
    records,
    references,
    distinctPages: all.size,
    distinctWrittenPages: written.size,
    distinctInstructionPages: instructions.size,
    writeFraction: references === 0 ? 0 : writes / references,
    instructionFraction: references === 0 ? 0 : instrs / references,
    workingSet: points,
  };
}

/** The first point (after one reference), then the points at multiples of the doubled spacing. */
function thin(points: WorkingSetPoint[], spacing: number): WorkingSetPoint[] {
  const out: WorkingSetPoint[] = [];
  let lastBucket = -1;
  for (const pt of points) {
    const bucket = Math.floor(pt.references / spacing);
    if (bucket > lastBucket) {
      out.push(pt);
      lastBucket = bucket;
    }
  }
  return out;
}
