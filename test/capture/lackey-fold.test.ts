/**
 * The filter between lackey and the parser while capturing: rep-string iterations fold, system
 * call buffers become references, everything else passes through unchanged, whatever the chunking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LackeyFoldFilter } from '../../src/workload/lackey-fold.js';

function filter(text: string, chunkSizes: readonly number[] = [1 << 20], syscalls = true): { out: string; filter: LackeyFoldFilter } {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  const f = new LackeyFoldFilter(4096, (bytes) => parts.push(decoder.decode(bytes)), { syscalls });
  const bytes = new TextEncoder().encode(text);
  // one reused buffer, as the capture's reader does: the filter must copy what it keeps
  const scratch = new Uint8Array(bytes.length + 1);
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = Math.min(chunkSizes[k % chunkSizes.length]!, bytes.length - at);
    scratch.set(bytes.subarray(at, at + n));
    f.push(scratch.subarray(0, n));
    scratch.fill(0x7e);
    at += n;
  }
  f.end();
  return { out: parts.join(''), filter: f };
}

const REP_MOVSB = [
  'I  04001000,3', // rep movsb: first iteration kept
  ' L 05000000,1',
  ' S 09000000,1',
  'I  04001000,3', // next iterations: fetch and same-page accesses dropped
  ' L 05000001,1',
  ' S 09000001,1',
  'I  04001000,3',
  ' L 05000fff,1',
  ' S 09000fff,1',
  'I  04001000,3',
  ' L 05001000,1', // a new source page: kept
  ' S 09001000,1', // a new destination page: kept
  'I  04001000,3',
  ' L 05001001,1',
  ' S 09001001,1',
  'I  04001003,2', // the next instruction
  ' L 05001002,1', // not a repetition: kept although the page is the same
  '',
].join('\n');

test('rep-string iterations fold: repeated fetches and same-page accesses are dropped', () => {
  const { out, filter: f } = filter(REP_MOVSB);
  assert.equal(out, [
    'I  04001000,3', ' L 05000000,1', ' S 09000000,1',
    ' L 05001000,1', ' S 09001000,1',
    'I  04001003,2', ' L 05001002,1', '',
  ].join('\n'));
  assert.equal(f.stats.lines, 17);
  assert.equal(f.stats.foldedLines, 10);
});

test('an access whose kind differs from the previous iteration is kept', () => {
  const { out } = filter(['I  1000,2', ' L 5000,4', 'I  1000,2', ' S 5004,4', 'I  1000,2', ' S 5008,4', ''].join('\n'));
  assert.equal(out, ['I  1000,2', ' L 5000,4', ' S 5004,4', ''].join('\n'));
});

test('read and write system calls become stores and loads over their buffers, one line per page', () => {
  const text = [
    'I  1000,2',
    'SYSCALL[7,1](0) sys_read ( 3, 0x5ff0, 100 ) --> [async] ... ',
    'SYSCALL[7,1](0) ... [async] --> Success(0x20) ',
    'SYSCALL[7,1](1) sys_write ( 1, 0x8000, 5 )[sync] --> Success(0x5) ',
    'SYSCALL[7,1](0) sys_read ( 3, 0x9000, 4096 ) --> [async] ... ',
    'SYSCALL[7,1](0) ... [async] --> Failure(0xb) ',
    'SYSCALL[7,1](257) sys_openat ( 4294967196, 0x4034bb0(/etc/x), 0 ) --> [async] ... ',
    'SYSCALL[7,1](257) ... [async] --> Success(0x3) ',
    'SYSCALL[7,1](334) unimplemented (by the kernel) syscall: 334! (ni_syscall)',
    ' --> [pre-fail] Failure(0x26) ',
    'I  1002,2',
    '',
  ].join('\n');
  const { out, filter: f } = filter(text);
  assert.equal(out, [
    'I  1000,2',
    ' S 5ff0,16', // 0x20 bytes from 0x5ff0 cross into the next page
    ' S 6000,16',
    ' L 8000,5',
    'I  1002,2',
    '',
  ].join('\n'));
  assert.equal(f.stats.syscallsCopied, 2);
  assert.equal(f.stats.syscallLines, 3);
});

test('with syscalls off, SYSCALL lines are dropped and nothing is added', () => {
  const { out } = filter('I  1000,2\nSYSCALL[7,1](1) sys_write ( 1, 0x8000, 5 )[sync] --> Success(0x5) \n', [1 << 20], false);
  assert.equal(out, 'I  1000,2\n');
});

test('the output does not depend on how the input is cut into chunks', () => {
  const text = REP_MOVSB + 'SYSCALL[7,1](0) sys_read ( 3, 0x5ff0, 100 )[sync] --> Success(0x20) \n==12== done\n';
  const whole = filter(text).out;
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (sizes) => {
    assert.equal(filter(text, sizes).out, whole);
  }));
});
