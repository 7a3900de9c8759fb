/** `pageout run [scenario]`: one kernel-mode run, its summary, JSON/CSV and an HTML report. */
import type { Command } from 'commander';
import {
  action,
  addOutputOptions,
  applyStrict,
  collect,
  createProgressBar,
  simulatedTimeDetail,
  checkOutputs,
  withExamples,
  writeCsv,
  writeJson,
  type OutputOptions,
} from '../common.js';
import { parseSetFlags, type ScenarioOverrides } from '../../workload/overrides.js';
import { InputError, quote } from '../../errors.js';
import { parseDuration } from '../../units.js';

export interface ScenarioFlagOptions {
  memory?: string;
  preset?: string;
  set?: string[];
  fix?: string;
  seed?: string;
  maxTime?: string;
}

/** The flags that change a scenario; shared by run and the sweep's `--base` flags. */
export function addScenarioOptions(cmd: Command): Command {
  return cmd
    .option('-m, --memory <size>', 'physical memory: 64MiB, 512KiB, a page count (16384) or 25% of the distinct pages touched')
    .option('-p, --preset <name>', 'tunable defaults of a kernel version: cmu-1987, gnumach-1999 (the seed), gnumach-2014')
    .option('-s, --set <name=value>', 'set a tunable (vm_pageout_burst_max=32) or kernel option (pmapCollect=true); repeatable', collect)
    .option('--fix <defects>', 'fix seed defects: B1,B2,B3, all or none (default: faithful, none fixed)')
    .option('--seed <n>', 'random seed of the scenario\'s generators and fault injection')
    .option('--max-time <duration>', 'stop at this simulated time (5s, 200ms); the run counts as truncated');
}

export function scenarioOverrides(o: ScenarioFlagOptions): ScenarioOverrides {
  const out: ScenarioOverrides = {};
  if (o.memory !== undefined) out.memory = o.memory;
  if (o.preset !== undefined) out.preset = o.preset;
  if (o.set !== undefined) out.set = parseSetFlags(o.set);
  if (o.fix !== undefined) out.fixes = o.fix;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.maxTime !== undefined) out.maxTime = o.maxTime;
  return out;
}

interface RunFlags extends ScenarioFlagOptions, OutputOptions {
  report?: string;
  series?: string;
  sampleInterval?: string;
  strict?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .argument('[scenario]', 'a shipped scenario name or a scenario .yaml file (default: the embedded default scenario)')
    .description('Run one scenario in the kernel model and print what the pageout daemon did');
  addScenarioOptions(cmd);
  addOutputOptions(cmd)
    .option('--report <file.html>', 'write a self-contained HTML report with charts')
    .option('--series <file.csv>', 'write the sampled time series (free, queues, laundry, burst_wait, rates, task progress) as CSV (- for stdout)')
    .option('--sample-interval <duration>', 'simulated time between samples of --report and --series', '10ms')
    .option('--strict', 'exit 3 when the run ends in panic, livelock or deadlock');
  withExamples(cmd, [
    'pageout run',
    'pageout run too-small --report out.html',
    'pageout run scan --set deactivateBehind=false --memory 32MiB',
    'pageout run my-scenario.yaml --seed 7 --sample-interval 50ms --report out.html',
    'pageout run --set vm_pageout_burst_max=32 --set vm_page_free_target=1MiB --fix B2',
    'pageout run --preset cmu-1987 --json result.json --quiet',
    'pageout run --memory 4096 --max-time 2s --strict',
  ]);
  cmd.action(action(async (scenarioArg: string | undefined, flags: RunFlags) => {
    const overrides = scenarioOverrides(flags);
    const sampleIntervalNs = parseDuration(flags.sampleInterval ?? '10ms', { file: 'command line', field: '--sample-interval' });
    if (sampleIntervalNs <= 0) throw new InputError({ file: 'command line', field: '--sample-interval' }, 'a duration above 0', flags.sampleInterval ?? '');
    // sampling serves the report and the series only: without them the flag would change nothing
    if (cmd.getOptionValueSource('sampleInterval') === 'cli' && flags.report === undefined && flags.series === undefined) {
      throw new InputError({ file: 'command line', field: '--sample-interval' }, '--sample-interval only with --report or --series (it spaces their samples)', quote(flags.sampleInterval));
    }
    const { loadScenario, applyOverrides } = await import('../../workload/index.js');
    const { collectRun } = await import('../../report/collect.js');
    const scenario = applyOverrides(loadScenario(scenarioArg), overrides);
    // a shipped scenario's name is no file of the user's; a path is an input not to overwrite
    const summaryOnStdout = !checkOutputs(flags, scenarioArg !== undefined ? [scenarioArg] : []) && !flags.quiet;

    const bar = createProgressBar({ quiet: flags.quiet, unit: 'refs' });
    let run;
    try {
      run = await collectRun(scenario, {
        sampleIntervalNs,
        series: flags.report !== undefined || flags.series !== undefined,
        onProgress: (p) => bar.update(p.refsDone, p.refsTotal, simulatedTimeDetail(p.simNs)),
      });
    } finally {
      bar.stop();
    }
    const { result } = run;

    if (flags.json !== undefined) writeJson(flags.json, result);
    if (flags.csv !== undefined) {
      const { runCsvRow } = await import('../../report/rows.js');
      writeCsv(flags.csv, [runCsvRow(result)]);
    }
    if (flags.series !== undefined && run.series) {
      const { seriesRows } = await import('../../report/series-csv.js');
      writeCsv(flags.series, seriesRows(run.series, result.tasks.map((t) => t.name)));
    }
    if (flags.report !== undefined) {
      const { writeHtmlReport, runReportData } = await import('../../report/html.js');
      writeHtmlReport(flags.report, runReportData(run));
    }
    if (summaryOnStdout) {
      const { formatRunSummary } = await import('../../report/summary.js');
      const pc = (await import('picocolors')).default;
      process.stdout.write(formatRunSummary(result, { color: pc.isColorSupported && process.stdout.isTTY === true }));
      if (flags.report !== undefined) process.stdout.write(`report: ${flags.report}\n`);
    }
    applyStrict(flags.strict, [result.outcome]);
  }));
}
