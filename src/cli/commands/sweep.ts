/** `pageout sweep FILE.yaml`: the cartesian product of parameters, run in parallel on worker threads. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseCount } from '../../units.js';
import { action, applyStrict, createProgressBar, ExitCode, flagError, checkOutputs, withExamples } from '../common.js';

interface SweepFlags {
  csv?: string;
  json?: string;
  workers?: string;
  resume?: boolean;
  report?: string;
  list?: boolean;
  strict?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('sweep')
    .argument('<file.yaml>', 'the sweep file: base scenario, fixed values, and lists of values to vary')
    .description('Run every combination of the parameters in a sweep file, in parallel, one result row per point')
    .option('--csv <file>', 'write one CSV row per point (- for stdout)')
    .option('--json <file>', 'write one JSON object per line per point (JSON Lines; - for stdout)')
    .option('-w, --workers <n>', `worker threads (default: the machine's cores, ${availableParallelism()} here)`)
    .option('--resume', 'keep the points already in the --csv / --json file that succeeded and run only the others')
    .option('--report <file.html>', 'write a combined HTML report: a table of the points, charts of each run')
    .option('--list', 'check every value, print the points and exit without running them')
    .option('--strict', 'exit 3 when any point ends in panic, livelock or deadlock')
    .option('-q, --quiet', 'no progress bar and no table');
  withExamples(cmd, [
    'pageout sweep sweeps/burst.yaml --csv results.csv',
    'pageout sweep sweeps/burst.yaml --csv results.csv --resume --workers 4',
    'pageout sweep sweeps/burst.yaml --json results.jsonl --report sweep.html',
    'pageout sweep sweeps/burst.yaml --list',
    'pageout sweep sweeps/policies.yaml --csv mrc.csv --report mrc.html',
  ]);
  cmd.addHelpText('after', `
Sweep file (YAML):
  base: scan                 # scenario name or .yaml path; default: the embedded default
  fixed: { maxTime: 5s }     # applied to every point
  vary:                      # the cartesian product of these lists (the last varies fastest)
    memory: [32MiB, 64MiB, 25%]
    preset: [gnumach-1999, cmu-1987]
    fixes: [none, B2, "B1,B2,B3"]
    tunables.vm_pageout_burst_max: [16, 32]
    options.pmapCollect: [false, true]
    seed: [1, 2]
    scenario: [default, too-small, my/other.yaml]
  report: { sampleInterval: 10ms, maxPoints: 400 }

Cache-mode sweep (policies over traces, as pageout compare computes them):
  fixed: { maxRefs: 20000000 }     # also format, pageSize, csv (CSV columns), skipRefs, warmup
  vary:
    trace: [traces/cc1.pgt.gz]
    policy: [lru, arc, clock, opt, s3fifo, mach]
    size: [256, 1024, 25%, 4MiB]   # frames, share of the distinct pages, memory in the trace's pages (4 KiB unless a compact trace says)
    param.s3fifo.small: [0.05, 0.1]   # a policy's parameter, as compare --param
    fixes: [none, B2]              # the mach points' kernel: preset, fixes, tunables.*, options.*

A point that fails is reported in its row (status error / bad-input) and the others go on;
the exit code is then 1 (or 2 when the failure was bad input).`);
  cmd.action(action(async (file: string, flags: SweepFlags) => {
    const workers = flags.workers === undefined ? availableParallelism() : parseCount(flags.workers, { file: 'command line', field: '--workers' }, 'a number of workers ≥ 1');
    if (workers < 1) throw flagError('--workers', 'a number of workers ≥ 1', flags.workers);
    if (flags.resume && flags.csv === undefined && flags.json === undefined) {
      throw new InputError({ file: 'command line', field: '--resume' }, 'an output to resume (--csv FILE or --json FILE)', 'none');
    }
    if (flags.resume && (flags.csv === '-' || flags.json === '-')) throw flagError('--resume', 'an output file, not stdout', '-');
    const toStdout = checkOutputs(flags, [file]);

    const { readSweepFile, sweepSpecOf, expandSweep, isMachKey, policyParamOf } = await import('../../sweep/spec.js');
    const { checkSweep, runSweep, sweepColumns, sweepRow } = await import('../../sweep/run.js');
    const { RowWriter, readRows, outputExists } = await import('../../sweep/output.js');
    const sweep = readSweepFile(file);

    // the file and every value are checked before an output file is touched, every problem
    // reported at once: a typo must not cost earlier results, nor a round trip per mistake (and
    // --list shows only points that would run)
    const points = await checkSweep(sweep);
    if (flags.list) {
      for (const p of expandSweep(sweepSpecOf(sweep))) process.stdout.write(`${p.index}\t${p.id || '(the base scenario)'}\n`);
      return;
    }
    const { spec } = sweep;
    const columns = sweepColumns(spec);

    // --resume: the rows that succeeded stay (rewritten first), everything else runs again; with
    // both outputs, a point counts as done only when both files hold it
    const outputs = [
      ...(flags.csv !== undefined ? [{ file: flags.csv, format: 'csv' as const }] : []),
      ...(flags.json !== undefined ? [{ file: flags.json, format: 'jsonl' as const }] : []),
    ];
    const earlier = outputs.map((o) => (flags.resume && outputExists(o.file) ? readRows(o.file, o.format, columns) : []));
    // rows of points this sweep does not have come from another sweep file (or this one, since
    // changed): resuming would keep them beside the new points, some under the same numbers
    const pointOf = new Map(points.map((p) => [p.id, p.index]));
    for (const [i, rows] of earlier.entries()) {
      const foreign = rows.find((r) => pointOf.get(String(r.id)) !== Number(r.point));
      if (foreign !== undefined) {
        throw new InputError({ file: outputs[i]!.file, field: '--resume' }, `rows of the points of ${file} (it was written by another sweep, or by this one before it changed: resume with that one, or write a new file)`, `point ${String(foreign.point)} (${String(foreign.id)}), which ${file} does not have`);
      }
    }
    const kept = earlier.map((rows) => rows.filter((r) => r.status === 'ok'));
    const skip = new Set(kept.length === 0 ? [] : kept[0]!.map((r) => String(r.id)).filter((id) => kept.every((rows) => rows.some((r) => String(r.id) === id))));
    const writers = outputs.map((o, i) => new RowWriter(o.file, o.format, columns, kept[i]!.filter((r) => skip.has(String(r.id)))));
    const { sweepReportData } = await import('../../report/sweep-report.js');
    type ReportPoint = import('../../report/sweep-report.js').SweepReportPoint;
    const reportPoints: ReportPoint[] = [];
    // for the table and the cache report, which look a varied value up by its key (`memory`); the
    // files keep it under `vary.memory`, apart from the result's own field of the same name
    const rows: import('../../report/rows.js').FlatRow[] = [];
    const outcomes: string[] = [];
    let failed = 0;
    let badInput = 0;
    const bar = createProgressBar({ quiet: flags.quiet, unit: 'points' });
    try {
      await runSweep(spec, {
        workers,
        skip,
        validated: true,
        seriesPoints: flags.report !== undefined ? spec.report.maxPoints : 0,
        onProgress: (done, total) => bar.update(done, total, `${workers} workers`),
        onOutcome: (point, outcome) => {
          const row = sweepRow(point, outcome);
          rows.push({ ...row, ...point.params });
          for (const w of writers) w.write(row);
          if (outcome.ok) {
            if ('result' in outcome) outcomes.push(outcome.result.outcome);
          } else {
            failed++;
            if (outcome.inputError) badInput++;
            bar.stop();
            process.stderr.write(`error: point ${point.index} (${point.id}): ${outcome.error.split('\n')[0]}\n`);
          }
          if (flags.report !== undefined && spec.mode === 'kernel') {
            const run = outcome.ok && 'result' in outcome ? outcome : null;
            reportPoints.push({
              id: point.id, params: point.params, result: run ? run.result : null,
              error: outcome.ok ? '' : outcome.error.split('\n')[0]!, series: run ? run.series : null,
              sampleIntervalNs: spec.report.sampleIntervalNs,
            });
          }
        },
      });
    } finally {
      bar.stop();
      for (const w of writers) w.close();
    }
    if (skip.size > 0) {
      // the kept rows were written first and the points run now after them: put the file back
      // in point order, as a sweep run in one go writes it
      for (const o of outputs) {
        const all = readRows(o.file, o.format, columns).sort((a, b) => Number(a.point) - Number(b.point));
        new RowWriter(o.file, o.format, columns, all).close();
      }
    }
    if (flags.report !== undefined) {
      const { writeHtmlReport } = await import('../../report/html.js');
      const axes = spec.axes.map((a) => a.key);
      const data = spec.mode === 'cache'
        ? (await import('../../report/sweep-report.js')).cacheSweepReportData(`pageout sweep: ${file}`, axes, rows, (a) => policyParamOf(a) !== null || isMachKey(a))
        : sweepReportData(`pageout sweep: ${file}`, axes, reportPoints);
      writeHtmlReport(flags.report, data);
    }
    if (!flags.quiet && !toStdout) {
      const { formatSweepTable } = await import('../../report/sweep-table.js');
      process.stdout.write(formatSweepTable(spec.axes.map((a) => a.key), rows, spec.mode));
      process.stdout.write(`${rows.length} ${rows.length === 1 ? 'point' : 'points'} run${skip.size ? `, ${skip.size} kept from ${flags.csv ?? flags.json}` : ''}${failed ? `, ${failed} failed` : ''}\n`);
    }
    if (failed > 0) process.exitCode = badInput === failed ? ExitCode.badInput : ExitCode.internal;
    applyStrict(flags.strict, outcomes);
  }));
}
