import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_NAMES, Prng } from '../../../../functions/producer/generator/index.js';
import { PLACEHOLDERS } from '../../../../functions/producer/generator/placeholders.js';
import { compileTemplate, renderTemplate } from '../../../../functions/producer/generator/template.js';

describe('message templates', () => {
  it('renders placeholders with realistic values', () => {
    // Prepare
    const template = compileTemplate('{method} {path} {status} {durationMs}ms client={ip} user={userId} order={orderId}', 'INFO');
    const rng = new Prng(1);

    // Act
    const messages = Array.from({ length: 200 }, () => renderTemplate(template, rng));

    // Assess
    for (const message of messages) {
      expect(message).toMatch(/^(GET|POST|PUT|DELETE|PATCH) \/[\w/.-]* (200|201|204|302|304) \d{1,5}ms client=(\d{1,3}\.){3}\d{1,3} user=\d{4,6} order=ORD-\d{8}$/);
    }
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('turns {{ and }} into literal braces', () => {
    // Act
    const message = renderTemplate(compileTemplate('payload {{"user": {userId}}}', 'DEBUG'), new Prng(2));

    // Assess
    expect(message).toMatch(/^payload \{"user": \d+\}$/);
  });

  it('keeps every placeholder within its declared maximum length', () => {
    // Prepare
    const rng = new Prng(3);

    // Act
    const violations: string[] = [];
    for (const name of PLACEHOLDER_NAMES) {
      const placeholder = PLACEHOLDERS[name]!;
      for (let i = 0; i < 2000; i++) {
        const value = placeholder.fill(rng);
        if (value.length > placeholder.maxLength || !/^[\x20-\x7e]+$/.test(value)) violations.push(`${name}=${JSON.stringify(value)}`);
      }
    }

    // Assess
    expect(PLACEHOLDER_NAMES.length).toBeGreaterThan(20);
    expect(violations).toEqual([]);
  });
});
