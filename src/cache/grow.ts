/**
 * Growing per-page arrays, for policies replayed straight from a trace file (stream.ts): page ids
 * are handed out as pages first appear, so the arrays indexed by id start small and double. Each
 * helper returns a new array of `length` entries holding `a`'s, the rest set to `fill`.
 */

export function grownInt32(a: Int32Array, length: number, fill = 0): Int32Array {
  const b = new Int32Array(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function grownUint8(a: Uint8Array, length: number, fill = 0): Uint8Array {
  const b = new Uint8Array(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function grownUint32(a: Uint32Array, length: number): Uint32Array {
  const b = new Uint32Array(length);
  b.set(a);
  return b;
}

export function grownFloat64(a: Float64Array, length: number, fill = 0): Float64Array {
  const b = new Float64Array(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function grownUint16(a: Uint16Array, length: number): Uint16Array {
  const b = new Uint16Array(length);
  b.set(a);
  return b;
}
