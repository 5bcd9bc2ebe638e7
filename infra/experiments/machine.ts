import os from 'node:os';

/** The machine a run was measured on: results are only comparable on like machines. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  readonly loadAverage: { readonly atStart: readonly number[]; readonly atEnd: readonly number[] | null };
  readonly node: string;
  readonly platform: string;
}

export function machineAtStart(): MachineInfo {
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1_048_576),
    loadAverage: { atStart: rounded(os.loadavg()), atEnd: null },
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export function machineAtEnd(start: MachineInfo): MachineInfo {
  return { ...start, loadAverage: { atStart: start.loadAverage.atStart, atEnd: rounded(os.loadavg()) } };
}

function rounded(values: number[]): number[] {
  return values.map((value) => Math.round(value * 100) / 100);
}
