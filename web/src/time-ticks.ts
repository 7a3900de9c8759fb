/** Axis labels of simulated time, shared by the charts (and testable without a browser). */

/**
 * Tick labels for simulated time (the x values are seconds), in the unit the ticks' size calls
 * for and with as many decimals as their step needs: a run of a few microseconds, common for a
 * dropped trace, had every tick read 0.000.
 */
export function timeTicks(vals: readonly number[]): string[] {
  const top = Math.max(0, ...vals.map((v) => Math.abs(v)));
  const [scale, unit] = top >= 1 || top === 0 ? [1, 's'] : top >= 1e-3 ? [1e3, 'ms'] : [1e6, 'µs'];
  const step = vals.length > 1 ? Math.abs(vals[1]! - vals[0]!) * scale : 0;
  const decimals = step > 0 ? Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9))) : 0;
  return vals.map((v) => `${(v * scale).toFixed(decimals)} ${unit}`);
}
