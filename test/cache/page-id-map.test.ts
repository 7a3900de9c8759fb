/**
 * PageIdMap (src/cache/dense-trace.ts): page numbers get ids 0, 1, 2 … in order of first sight,
 * whether they take the direct table (small pages) or the hash (large ones), and pageNumbers()
 * gives every id's page back. Checked against a Map doing the same by the book.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PageIdMap } from '../../src/cache/index.js';

/** Small pages (direct), pages just past the direct table, and sparse ones up to 2^50 (hashed). */
const pageNumber = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc.integer({ min: (1 << 22) - 50, max: (1 << 22) + 50 }),
  fc.integer({ min: 0, max: 2 ** 50 }),
);

test('ids go by first sight through remap and idOf alike, and pageNumbers() inverts them', () => {
  fc.assert(
    fc.property(fc.array(pageNumber, { minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), (pages, batch) => {
      const expected = new Map<number, number>();
      const map = new PageIdMap(1); // the hash table grows from its smallest size
      const ids = new Int32Array(pages.length);
      for (let at = 0; at < pages.length; at += batch) {
        const chunk = Float64Array.from(pages.slice(at, at + batch));
        if ((at / batch) % 2 === 0) map.remap(chunk, chunk.length, ids, at);
        else chunk.forEach((p, i) => (ids[at + i] = map.idOf(p)));
      }
      pages.forEach((p, i) => {
        if (!expected.has(p)) expected.set(p, expected.size);
        assert.equal(ids[i], expected.get(p), `reference ${i}, page ${p}`);
      });
      assert.equal(map.size, expected.size);
      assert.deepEqual([...map.pageNumbers()], [...expected.keys()]);
    }),
    { numRuns: 200 },
  );
});

test('enough hashed pages to grow the table several times keep their ids', () => {
  const map = new PageIdMap(1);
  const n = 20_000;
  for (let i = 0; i < n; i++) assert.equal(map.idOf(2 ** 40 + i * 7919), i);
  for (let i = 0; i < n; i++) assert.equal(map.idOf(2 ** 40 + i * 7919), i);
  assert.equal(map.idOf(12), n);
  assert.deepEqual(map.pageNumbers()[n], 12);
  assert.equal(map.pageNumbers()[n - 1], 2 ** 40 + (n - 1) * 7919);
});
