/**
 * Growing per-page arrays, for policies replayed straight from a trace file (stream.ts): page ids
 * are handed out as pages first appear, so the arrays indexed by id start small and double.
 */

type GrowableArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** A new array of `a`'s kind with `length` entries: `a`'s first, the rest set to `fill`. */
export function grown<A extends GrowableArray>(a: A, length: number, fill = 0): A {
  const b = new (a.constructor as new (length: number) => A)(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * Entries a policy's per-frame arrays need for `pageCount` pages: one a frame, but no more than
 * there are pages to fill them, so a cache larger than the trace costs memory by the trace.
 * (Frames fill in order and only on misses, so a frame index never reaches the page count.)
 */
export function framesFor(capacity: number, pageCount: number): number {
  return Math.min(capacity, pageCount);
}
