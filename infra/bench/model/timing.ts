/** Median of `repetitions` timings (seconds) of `run`, after one untimed warm-up call. */
export function medianSeconds(repetitions: number, run: () => void): number {
  run();
  const seconds: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = process.hrtime.bigint();
    run();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)] as number;
}
