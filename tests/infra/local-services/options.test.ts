import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalServicesUsageError } from '../../../infra/local-services/errors.js';
import { defaultLocalServicesOptions, parseLocalServicesArgs, repoRoot, usage } from '../../../infra/local-services/options.js';

describe('parseLocalServicesArgs', () => {
  it('defaults to the fixed local ports with data and .env in the repository', () => {
    // Prepare / Act
    const { options, help } = parseLocalServicesArgs([], '/somewhere/else');

    // Assess
    expect(help).toBe(false);
    expect(options).toEqual(defaultLocalServicesOptions);
    expect(options).toMatchObject({ kafkaPort: 9092, controlPlanePort: 4510, postgresPort: 5433, s3Port: 4569, host: '127.0.0.1' });
    expect(options.dataDir).toBe(join(repoRoot, '.data'));
    expect(options.envFile).toBe(join(repoRoot, '.env'));
  });

  it('takes every port, the data directory and the env path, in both flag forms, with 0 allowed', () => {
    // Prepare
    const argv = ['--kafka-port', '0', '--control-plane-port=0', '--postgres-port', '15432', '--s3-port=0', '--data-dir', 'tmp/data', '--env-path=out/.env', '--region', 'eu-west-1'];

    // Act
    const { options } = parseLocalServicesArgs(argv, '/work/dir');

    // Assess
    expect(options).toMatchObject({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 15432, s3Port: 0, region: 'eu-west-1' });
    expect(options.dataDir).toBe('/work/dir/tmp/data');
    expect(options.envFile).toBe('/work/dir/out/.env');
  });

  it('turns the env file off with --no-env and shows help with --help', () => {
    // Prepare / Act
    const { options, help } = parseLocalServicesArgs(['--no-env', '--help']);

    // Assess
    expect(options.envFile).toBeNull();
    expect(help).toBe(true);
    expect(usage()).toContain('--postgres-port');
  });

  it.each([
    [['--kafka-port', '65536'], '--kafka-port: "65536" must be a port number'],
    [['--s3-port', '-1'], '--s3-port: "-1" must be a port number'],
    [['--s3-port', '--data-dir', 'x'], '--s3-port needs a value'],
    [['--s3-port=4x'], '--s3-port: "4x" must be a port number'],
    [['--postgres-port'], '--postgres-port needs a value'],
    [['--data-dir', ''], '--data-dir: "" must be a non-empty path'],
    [['--host', 'a b'], '--host: "a b" must be a host name'],
    [['--region', 'mars'], '--region: "mars" must be an AWS region'],
    [['--log-level', 'loud'], '--log-level: "loud" must be info'],
    [['--no-env=yes'], '--no-env takes no value'],
    [['--env-file', '.env'], 'unknown option "--env-file"'],
    [['--kafka-port', '4569'], '--kafka-port and --s3-port are both 4569'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    // Prepare / Act
    const parse = () => parseLocalServicesArgs(argv);

    // Assess
    expect(parse).toThrow(LocalServicesUsageError);
    expect(parse).toThrow(message);
  });
});
