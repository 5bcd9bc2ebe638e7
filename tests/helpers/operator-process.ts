import { execFile } from 'node:child_process';
import { repoRoot } from '../../infra/deploy/osls.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Settings an operator command would otherwise take from the test's own environment. */
const stackVariables = ['DATABASE_URL', 'KAFKA_BOOTSTRAP_SERVERS', 'MSK_CLUSTER_ARN', 'MODEL_BUCKET', 'DASHBOARD_BUCKET', 'AWS_ENDPOINT_URL_S3', 'KAFKA_TOPIC'];

/** An operator command (`infra/ops/<script>.ts`) as `npm run` runs it: node with tsx's loader, in the repository. */
export function operator(script: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const childEnv = { ...process.env, ...env };
    for (const name of stackVariables) {
      if (!(name in env)) delete childEnv[name];
    }
    execFile(process.execPath, ['--import', 'tsx', `infra/ops/${script}.ts`, ...args], { cwd: repoRoot, env: childEnv, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
