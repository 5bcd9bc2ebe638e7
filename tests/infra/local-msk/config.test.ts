import { describe, expect, it } from 'vitest';
import { defaultBrokerConfig, resolveBrokerConfig, usage } from '../../../infra/local-msk/config.js';
import { ConfigError } from '../../../infra/local-msk/errors.js';

describe('resolveBrokerConfig', () => {
  it('uses the defaults when given nothing', () => {
    // Act
    const { config, help } = resolveBrokerConfig([], {});

    // Assess
    expect(config).toEqual(defaultBrokerConfig);
    expect(config.defaultPartitions).toBe(3);
    expect(help).toBe(false);
  });

  it('lets flags override environment variables, which override defaults', () => {
    // Prepare
    const env = { KAFKA_NUM_PARTITIONS: '6', LOCAL_MSK_PORT: '19092', KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' };

    // Act
    const { config } = resolveBrokerConfig(['--port', '29092', '--data-dir=.data/kafka', '--no-control-plane'], env);

    // Assess
    expect(config.port).toBe(29092);
    expect(config.defaultPartitions).toBe(6);
    expect(config.autoCreateTopics).toBe(false);
    expect(config.dataDir).toBe('.data/kafka');
    expect(config.controlPlanePort).toBeNull();
  });

  it('--in-memory clears a data directory given by the environment', () => {
    // Act
    const { config } = resolveBrokerConfig(['--in-memory'], { LOCAL_MSK_DATA_DIR: '/tmp/x' });

    // Assess
    expect(config.dataDir).toBeNull();
  });

  it.each([
    [['--port', '70000'], /--port.*between 0 and 65535/],
    [['--port', 'abc'], /--port.*integer/],
    [['--port'], /--port needs a value/],
    [['--partitions', '0'], /--partitions.*between 1 and 1000/],
    [['--bogus', '1'], /unknown option "--bogus"/],
    [['--log-level', 'loud'], /--log-level/],
    [['--data-dir', ''], /--data-dir.*empty/],
    [['--in-memory=yes'], /--in-memory takes no value/],
    [['--max-message-bytes', '2000', '--max-frame-bytes', '1000'], /must not exceed --max-frame-bytes/],
  ])('rejects %j with a ConfigError naming the option', (argv, message) => {
    // Act / Assess
    expect(() => resolveBrokerConfig(argv, {})).toThrow(ConfigError);
    expect(() => resolveBrokerConfig(argv, {})).toThrow(message);
  });

  it('names the environment variable at fault', () => {
    // Act / Assess
    expect(() => resolveBrokerConfig([], { KAFKA_NUM_PARTITIONS: 'three' })).toThrow(/KAFKA_NUM_PARTITIONS.*integer/);
  });

  it('documents every option in --help', () => {
    // Act
    const { help } = resolveBrokerConfig(['--help'], {});

    // Assess
    expect(help).toBe(true);
    expect(usage()).toMatch(/--data-dir/);
    expect(usage()).toMatch(/KAFKA_NUM_PARTITIONS/);
  });
});
