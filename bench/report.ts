/**
 * What reporting costs a run: `npm run bench` (bench/run.ts calls run()), or
 * `node --import tsx bench/report.ts`. The same kernel run three ways, best of 7 interleaved rounds: bare
 * (runScenario), with the bounded time series (collectRun, 10 ms samples), and with the series plus
 * rendering the HTML report, after a warm-up of each. Target: reporting adds under 5 % to the run's time.
 */
import { runScenario } from '../src/kernel/index.js';
import { collectRun } from '../src/report/collect.js';
import { renderHtmlReport, runReportData } from '../src/report/html.js';
import { parseScenarioText } from '../src/workload/index.js';

const SCENARIO = `name: bench-report
seed: 9
machine: { memory: 1024 }
tasks:
  - name: hot
    generator: { kind: hotset, hotPages: 500, coldPages: 2000, references: 1500000, hotProbability: 0.9, scanEvery: 20000, scanLength: 600, writeFraction: 0.3 }
  - name: loop
    generator: { kind: loop, pages: 300, iterations: 1000, writeFraction: 0.1 }
`;

export async function run(): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const scenario = parseScenarioText(SCENARIO, 'bench-report.yaml', process.cwd());
  let simNs = 0;
  let points = 0;
  let htmlBytes = 0;
  // warm up the JIT on every path first, so the order of the measurements does not matter
  runScenario(scenario);
  renderHtmlReport(runReportData(collectRun(scenario)));
  // interleaved rounds, best of each: a busy machine slows all three alike
  const modes = [
    () => { simNs = runScenario(scenario).simulatedTimeNs; },
    () => { points = collectRun(scenario).series!.t.length; },
    () => { htmlBytes = renderHtmlReport(runReportData(collectRun(scenario))).length; },
  ];
  const bestOf = modes.map(() => Infinity);
  for (let round = 0; round < 7; round++) {
    modes.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      bestOf[i] = Math.min(bestOf[i]!, (performance.now() - t0) / 1000);
    });
  }
  const [bare, series, report] = bestOf as [number, number, number];
  const table = new Table({
    head: ['kernel run', 'wall s', 'overhead'],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right'],
  });
  const pct = (t: number): string => `${(((t - bare) / bare) * 100).toFixed(1)} %`;
  table.push(['bare runScenario', bare.toFixed(3), '']);
  table.push([`+ time series (${points} points, 10 ms samples)`, series.toFixed(3), pct(series)]);
  table.push([`+ series + HTML report (${(htmlBytes / 1024).toFixed(0)} KiB)`, report.toFixed(3), pct(report)]);
  console.log(table.toString());
  console.log(`simulated ${(simNs / 1e9).toFixed(2)} s; target: reporting adds under 5 %`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
