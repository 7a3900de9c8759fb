/** `--strict` turns a bad outcome into exit code 3, through the real binary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/pageout.js', import.meta.url));

test('pageout run --strict exits 3 when the run ends in livelock, 0 when the fixes let it complete', () => {
  const bad = spawnSync(process.execPath, [BIN, 'run', 'new-file', '--strict', '--quiet'], { encoding: 'utf8' });
  assert.equal(bad.status, 3, bad.stderr);
  const lenient = spawnSync(process.execPath, [BIN, 'run', 'new-file', '--quiet'], { encoding: 'utf8' });
  assert.equal(lenient.status, 0, lenient.stderr);
  const fixed = spawnSync(process.execPath, [BIN, 'run', 'new-file', '--strict', '--quiet', '--fix', 'all'], { encoding: 'utf8' });
  assert.equal(fixed.status, 0, fixed.stderr);
});
