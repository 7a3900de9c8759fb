/** `pageout policies`: the cache-mode policies, their parameters with defaults, and their references. */
import type { Command } from 'commander';
import { action, withExamples, writeJson } from '../common.js';

export function register(program: Command): void {
  const cmd = program
    .command('policies')
    .description('List the replacement policies of `pageout compare` and `pageout mrc`, their parameters and defaults')
    .option('--json <file>', 'write the list as JSON to FILE (- for stdout, instead of the text)');
  withExamples(cmd, ['pageout policies', 'pageout compare trace.gz --policies 2q --param 2q.kin=0.3', 'pageout policies --json -']);
  cmd.action(action(async (flags: { json?: string }) => {
    const { POLICIES } = await import('../../cache/index.js');
    const { minimumMemoryPages, PRESETS } = await import('../../kernel/params.js');
    const list = [
      ...POLICIES.map((p) => ({
        name: p.name,
        description: p.description,
        source: p.source,
        minFrames: p.minCapacity,
        params: p.params.map((q) => ({ key: q.key, default: q.defaultValue, min: q.min, max: q.max, integer: q.integer, description: q.description })),
      })),
      {
        name: 'mach',
        description: "GNU Mach's pageout daemon: the kernel model with zero-latency pagers, the trace as one task (compare, and mrc --policies)",
        source: 'src/kernel (the seed vm_pageout.c, faithful); misses = references whose page was not resident, once each; write-backs = page-outs',
        // the kernel's own least memory (its reserves live inside it), for the preset the row runs
        minFrames: minimumMemoryPages(PRESETS['gnumach-1999'], 0),
        params: [],
      },
    ];
    if (flags.json !== undefined) {
      writeJson(flags.json, list);
      if (flags.json === '-') return;
    }
    const out: string[] = [];
    for (const p of list) {
      out.push(`${p.name} — ${p.description}`);
      out.push(`    source: ${p.source}`);
      if (p.minFrames !== null && p.minFrames > 1) out.push(`    needs at least ${p.minFrames} frames`);
      for (const q of p.params) out.push(`    ${p.name}.${q.key}=${q.default}  ${q.description} (${q.min}–${q.max})`);
    }
    out.push('', 'Set a parameter with --param policy.key=value, e.g. --param s3fifo.small=0.2.');
    process.stdout.write(out.join('\n') + '\n');
  }));
}
