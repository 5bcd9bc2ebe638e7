import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { compileGeneratorConfig, createLogGenerator, DEFAULT_GENERATOR_CONFIG, type GeneratorConfig } from '../../../../functions/producer/generator/index.js';

/** A valid two-service config; tests break one thing at a time. */
function validConfig(): GeneratorConfig {
  return {
    services: [
      {
        name: 'checkout',
        weight: 2,
        hosts: ['checkout-1'],
        templates: [
          { level: 'INFO', text: 'Order {orderId} checked out in {durationMs}ms', weight: 9 },
          { level: 'ERROR', text: 'Checkout of {orderId} failed with {errorStatus}', weight: 1 },
        ],
      },
      { name: 'search', weight: 1, hosts: ['search-1', 'search-2'], templates: [{ level: 'DEBUG', text: 'Query took {durationMs}ms', weight: 1 }], usualHours: { fromHour: 6, toHour: 24 } },
    ],
  };
}

function problemWith(mutate: (config: GeneratorConfig & Record<string, unknown>) => void): string {
  const config = structuredClone(validConfig()) as GeneratorConfig & Record<string, unknown>;
  mutate(config);
  try {
    compileGeneratorConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected compileGeneratorConfig to throw');
}

const service0 = (config: GeneratorConfig) => config.services[0]!;
const template0 = (config: GeneratorConfig) => config.services[0]!.templates[0]!;

describe('compileGeneratorConfig', () => {
  it('accepts the default config and a custom one', () => {
    // Act
    const builtIn = compileGeneratorConfig(DEFAULT_GENERATOR_CONFIG);
    const custom = compileGeneratorConfig(validConfig());

    // Assess
    expect([...builtIn.serviceNames]).toEqual(['api-gateway', 'user-service', 'payment-service', 'inventory-service', 'notification-service', 'auth-service']);
    expect([...custom.serviceNames]).toEqual(['checkout', 'search']);
    expect(custom.unusualHours).toEqual({ fromHour: 2, toHour: 5 });
  });

  it.each<[string, (config: GeneratorConfig & Record<string, unknown>) => void, RegExp]>([
    ['no services', (c) => (c.services = []), /services: needs at least one service/],
    ['a misspelt key', (c) => ((service0(c) as unknown as Record<string, unknown>)['wieght'] = 1), /services\[0\]: Unrecognized key: "wieght"/],
    ['a service name with a space', (c) => (service0(c).name = 'check out'), /services\[0\]\.name: must contain only letters/],
    ['a duplicate service name', (c) => (c.services[1]!.name = 'checkout'), /services\[1\]\.name: duplicate service name "checkout"/],
    ['a zero service weight', (c) => (service0(c).weight = 0), /services\[0\]\.weight: must be > 0/],
    ['a NaN weight', (c) => (service0(c).weight = Number.NaN), /services\[0\]\.weight: expected number, received NaN/],
    ['a string weight', (c) => ((service0(c) as unknown as Record<string, unknown>)['weight'] = '2'), /services\[0\]\.weight: expected number, received string/],
    ['no hosts', (c) => (service0(c).hosts = []), /services\[0\]\.hosts: needs at least one host/],
    ['a host with a newline', (c) => (service0(c).hosts = ['a\nb']), /services\[0\]\.hosts\[0\]: must not contain control characters/],
    ['no templates', (c) => (service0(c).templates = []), /services\[0\]\.templates: needs at least one template/],
    ['an unknown level', (c) => ((template0(c) as unknown as Record<string, unknown>)['level'] = 'TRACE'), /templates\[0\]\.level: must be one of DEBUG/],
    ['a negative template weight', (c) => (template0(c).weight = -1), /templates\[0\]\.weight: must be > 0/],
    ['an empty template', (c) => (template0(c).text = ''), /templates\[0\]\.text: must not be empty/],
    ['an unknown placeholder', (c) => (template0(c).text = 'User {usrId} logged in'), /templates\[0\]\.text: unknown placeholder \{usrId\} at position 5; known: \{userId\}/],
    ['an unclosed brace', (c) => (template0(c).text = 'User {userId logged in'), /unclosed "\{" at position 5/],
    ['a stray closing brace', (c) => (template0(c).text = 'User } here'), /unmatched "\}" at position 5/],
    ['an empty placeholder', (c) => (template0(c).text = 'User {} here'), /invalid placeholder "\{\}"/],
    ['a reserved anomaly token', (c) => (template0(c).text = 'pod OOMKilled again'), /contains "OOMKilled", which is reserved for keyword anomalies/],
    ['a template that renders over 16 KiB', (c) => (template0(c).text = '{path}'.repeat(500)), /over the 16384-byte message limit/],
    ['usual hours overlapping the unusual hours', (c) => (service0(c).usualHours = { fromHour: 0, toHour: 24 }), /services\[0\]\.usualHours: 00:00–24:00 UTC overlaps unusualHours 02:00–05:00 UTC/],
    ['an inverted hour window', (c) => (service0(c).usualHours = { fromHour: 20, toHour: 8 }), /usualHours: fromHour must be before toHour/],
    ['a fractional hour', (c) => (c.unusualHours = { fromHour: 2.5, toHour: 5 }), /unusualHours\.fromHour: must be a whole hour/],
    ['an hour past 24', (c) => (c.unusualHours = { fromHour: 2, toHour: 25 }), /unusualHours\.toHour: must be 1–24/],
  ])('rejects %s, naming the field', (_name, mutate, reason) => {
    // Act + Assess
    expect(problemWith(mutate)).toMatch(reason);
  });

  it.each([null, 'services', 42, []])('rejects a config that is not an object (%j)', (config) => {
    // Act + Assess
    expect(() => compileGeneratorConfig(config)).toThrow(ConfigError);
    expect(() => compileGeneratorConfig(config)).toThrow(/invalid generator config/);
  });

  it('lists several problems in one error', () => {
    // Act
    const message = problemWith((c) => {
      template0(c).text = 'a {nope}';
      c.services[1]!.name = 'checkout';
    });

    // Assess
    expect(message).toContain('unknown placeholder {nope}');
    expect(message).toContain('duplicate service name');
  });
});

describe('createLogGenerator options', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a negative anomalyRate', { anomalyRate: -0.1 }, /anomalyRate must be a number from 0 to 1/],
    ['an anomalyRate above 1', { anomalyRate: 1.5 }, /anomalyRate must be a number from 0 to 1/],
    ['a missing anomalyRate', {}, /anomalyRate must be a number from 0 to 1, got undefined/],
    ['an unknown anomaly kind', { anomalyRate: 0.1, anomalyMix: { spikes: 1 } }, /anomalyMix has unknown kind "spikes"/],
    ['a negative kind weight', { anomalyRate: 0.1, anomalyMix: { keyword: -1 } }, /anomalyMix\.keyword must be a finite number >= 0/],
    ['an all-zero mix', { anomalyRate: 0.1, anomalyMix: { keyword: 0 } }, /every kind weight 0/],
    ['an empty experimentId', { anomalyRate: 0.1, experimentId: '' }, /experimentId must be a string of 1–128/],
    ['a producerId with a newline', { anomalyRate: 0.1, producerId: 'a\nb' }, /producerId must be a string/],
    ['a NaN seed', { anomalyRate: 0.1, seed: Number.NaN }, /seed must be a finite number or a string/],
    ['a negative startTime', { anomalyRate: 0.1, startTime: -1 }, /startTime must be ms since the epoch/],
    ['a bad config', { anomalyRate: 0.1, config: { services: [] } }, /invalid generator config: services: needs at least one service/],
  ])('rejects %s with a ConfigError', (_name, options, reason) => {
    // Act + Assess
    expect(() => createLogGenerator(options as never)).toThrow(ConfigError);
    expect(() => createLogGenerator(options as never)).toThrow(reason);
  });

  it('rejects a nowMs that is not a usable time', () => {
    // Prepare
    const generator = createLogGenerator({ anomalyRate: 0 });

    // Act + Assess
    expect(() => generator.next(Number.NaN)).toThrow(/nowMs must be a finite number/);
    expect(() => generator.next(-1)).toThrow(/outside 0\.\./);
    expect(() => generator.next(1e17)).toThrow(/outside 0\.\./);
  });
});
