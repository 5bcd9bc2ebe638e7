/**
 * CPU and memory during a run. The producers, the event-source mapping and the detector run in
 * this one Node.js process (with embedded services, the Kafka broker and the S3 emulator too), so
 * process.cpuUsage cannot split them: they are reported together as "runner process", naming what
 * it contains. PostgreSQL runs as separate processes: when it is on this machine (the backend's
 * parent in /proc is a `postgres` process) its server and backends are measured from /proc;
 * otherwise it is reported as not measured, with the reason.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { readProcStat, serverUsage } from '../process/proc-stat.js';

export interface ComponentUsage {
  readonly contains: readonly string[];
  readonly cpuSeconds: number;
  /** cpuSeconds ÷ wall seconds × 100: 100 = one core busy all the time. */
  readonly cpuPercentOfOneCore: number;
  readonly peakRssMb: number;
}

export interface ResourceSummary {
  readonly wallSeconds: number;
  readonly runnerProcess: ComponentUsage & { readonly eventLoopUtilization: number };
  readonly postgres: (ComponentUsage & { readonly processes: number }) | { readonly notMeasured: string };
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

export class ResourceSampler {
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private cpuStart = process.cpuUsage();
  private eluStart = performance.eventLoopUtilization();
  private peakRss = 0;
  private postmasterPid: number | null = null;
  private postgresCpuStart = 0;
  private postgresPeakRss = 0;
  private postgresProcesses = 0;
  private postgresReason = 'not sampled';

  constructor(private readonly contains: readonly string[]) {}

  async start(pool: pg.Pool, intervalMs = 1000): Promise<void> {
    await this.findPostgres(pool);
    this.startedAt = performance.now();
    this.cpuStart = process.cpuUsage();
    this.eluStart = performance.eventLoopUtilization();
    if (this.postmasterPid !== null) this.postgresCpuStart = serverUsage(this.postmasterPid)?.cpuSeconds ?? 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): ResourceSummary {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    const wallSeconds = Math.max((performance.now() - this.startedAt) / 1000, 1e-3);
    const cpu = process.cpuUsage(this.cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const percent = (seconds: number) => Math.round((seconds / wallSeconds) * 1000) / 10;
    const runnerProcess = {
      contains: this.contains,
      cpuSeconds,
      cpuPercentOfOneCore: percent(cpuSeconds),
      peakRssMb: mb(this.peakRss),
      eventLoopUtilization: Math.round(performance.eventLoopUtilization(this.eluStart).utilization * 1000) / 1000,
    };
    const end = this.postmasterPid === null ? null : serverUsage(this.postmasterPid);
    if (end === null) return { wallSeconds, runnerProcess, postgres: { notMeasured: this.postgresReason } };
    const postgresCpu = Math.max(0, end.cpuSeconds - this.postgresCpuStart);
    return {
      wallSeconds,
      runnerProcess,
      postgres: { contains: ['PostgreSQL server and backends'], cpuSeconds: postgresCpu, cpuPercentOfOneCore: percent(postgresCpu), peakRssMb: mb(this.postgresPeakRss), processes: this.postgresProcesses },
    };
  }

  private sample(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
    if (this.postmasterPid === null) return;
    const usage = serverUsage(this.postmasterPid);
    if (usage === null) return;
    this.postgresPeakRss = Math.max(this.postgresPeakRss, usage.rssBytes);
    this.postgresProcesses = Math.max(this.postgresProcesses, usage.processes);
  }

  /** The postmaster: the parent of this connection's backend, if that is a local `postgres` process. */
  private async findPostgres(pool: pg.Pool): Promise<void> {
    try {
      const result = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const backend = readProcStat(Number(result.rows[0]?.pid));
      const parent = backend === null ? null : readProcStat(backend.ppid);
      if (backend === null || !backend.comm.startsWith('postgres') || parent === null || !parent.comm.startsWith('postgres')) {
        this.postgresReason = 'PostgreSQL is not a process on this machine (or /proc is not readable)';
        return;
      }
      this.postmasterPid = parent.pid;
    } catch (error) {
      this.postgresReason = `could not ask PostgreSQL for its process id: ${(error as Error).message}`;
    }
  }
}
