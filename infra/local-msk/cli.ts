import { startBroker } from './broker.js';
import { resolveBrokerConfig, usage } from './config.js';
import { LocalMskError } from './errors.js';

/** `npm run kafka -- [options]`: runs the local MSK in the foreground until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { config, help } = resolveBrokerConfig(process.argv.slice(2), process.env);
  if (help) {
    process.stdout.write(usage() + '\n');
    return;
  }
  const broker = await startBroker(config);
  process.stdout.write(
    `local MSK ready: bootstrap=${broker.bootstrap} controlPlane=${broker.controlPlaneUrl ?? 'disabled'} clusterArn=${broker.clusterArn} storage=${config.dataDir ?? 'memory'}\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`local MSK stopping (${signal})\n`);
    broker.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`local MSK failed to stop cleanly: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof LocalMskError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`local MSK: ${message}\n`);
  process.exit(error instanceof LocalMskError ? 2 : 1);
});
