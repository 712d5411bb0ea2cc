/** Timing helpers shared by the benchmarks. */

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** One line: label, sample count, median and p95 in milliseconds. */
export function summary(label: string, samples: number[]): string {
  return `${label.padEnd(44)} n=${String(samples.length).padStart(4)}  median ${percentile(samples, 0.5).toFixed(2)} ms  p95 ${percentile(samples, 0.95).toFixed(2)} ms`;
}
