/** Flags of `npm run bench:pipeline`; a bad one throws an Error naming it, with the usage. */

export interface BenchOptions {
  rates: number[];
  seconds: number;
  warmup: number;
  cpuProf: boolean;
  /** Extra variables for the functions (e.g. RETRAIN_EVERY=0), from --runtime-env NAME=value. */
  runtimeEnv: Record<string, string>;
  /** Partitions of the logs topic (the detector runs one poller per partition). */
  partitions: number;
  /**
   * Run `npm start`'s dashboard publisher (every 5 s) during the stages, as `npm start` does: on by
   * default since its snapshot reads rollups (issue 21); `--without-dashboard` turns it off.
   */
  withDashboard: boolean;
}

export function benchUsage(): string {
  return (
    'Usage: npm run bench:pipeline -- [--rates 1000,5000,10000,20000,30000] [--seconds 20] [--warmup 3000] [--partitions 5] [--cpu-prof] [--without-dashboard] [--runtime-env NAME=value]…\n' +
    "  npm start's dashboard publisher runs every 5 s during the stages unless --without-dashboard (--with-dashboard, the default, is still accepted)"
  );
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { rates: [1_000, 5_000, 10_000, 20_000, 30_000], seconds: 20, warmup: 3_000, cpuProf: false, runtimeEnv: {}, partitions: 5, withDashboard: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--cpu-prof' || flag === '--with-dashboard' || flag === '--without-dashboard') {
      if (flag === '--cpu-prof') options.cpuProf = true;
      else options.withDashboard = flag === '--with-dashboard';
      continue;
    }
    const value = argv[++i];
    const bad = (why: string): never => {
      throw new Error(`${flag}: ${JSON.stringify(String(value).slice(0, 60))} ${why}\n${benchUsage()}`);
    };
    if (value === undefined) bad('needs a value');
    if (flag === '--rates') {
      const rates = value!.split(',').map((part) => (/^\d{1,6}$/.test(part.trim()) ? Number(part.trim()) : Number.NaN));
      if (rates.length === 0 || rates.length > 20 || !rates.every((rate) => rate >= 1 && rate <= 200_000)) bad('must be a comma-separated list of 1-20 rates, each 1..200000 records/s');
      options.rates = rates;
    } else if (flag === '--seconds') {
      const seconds = /^\d{1,4}$/.test(value!) ? Number(value) : Number.NaN;
      if (!(seconds >= 2 && seconds <= 3600)) bad('must be whole seconds from 2 to 3600');
      options.seconds = seconds;
    } else if (flag === '--runtime-env') {
      const match = /^([A-Z][A-Z0-9_]{0,63})=(.{0,256})$/.exec(value!);
      if (match === null) bad('must be NAME=value (an upper-case variable name)');
      options.runtimeEnv[match![1]!] = match![2]!;
    } else if (flag === '--partitions') {
      const partitions = /^\d{1,3}$/.test(value!) ? Number(value) : Number.NaN;
      if (!(partitions >= 1 && partitions <= 64)) bad('must be 1..64');
      options.partitions = partitions;
    } else if (flag === '--warmup') {
      const records = /^\d{1,7}$/.test(value!) ? Number(value) : Number.NaN;
      if (!(records >= 1_000 && records <= 1_000_000)) bad('must be 1000..1000000 records (the model trains on the first 1000)');
      options.warmup = records;
    } else {
      throw new Error(`unknown option ${JSON.stringify(flag.slice(0, 60))}\n${benchUsage()}`);
    }
  }
  return options;
}

