import type { Prng } from './prng.js';

/** A variable part of a message template, e.g. `{userId}`. */
export interface Placeholder {
  /** Longest value `fill` can return, in characters (bounds the rendered message size). */
  readonly maxLength: number;
  /** A realistic random value; ASCII only. */
  fill(rng: Prng): string;
}

const API_PATHS = [
  '/api/v1/users/:id',
  '/api/v1/users/:id/profile',
  '/api/v1/orders',
  '/api/v1/orders/:id',
  '/api/v1/cart',
  '/api/v1/cart/items',
  '/api/v1/products/:id',
  '/api/v1/products',
  '/api/v1/payments',
  '/api/v1/payments/:id/refund',
  '/api/v1/inventory/:id',
  '/api/v1/auth/token',
  '/api/v1/auth/refresh',
  '/api/v1/notifications',
  '/health',
  '/metrics',
] as const;
const METHODS = ['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const OK_STATUSES = ['200', '200', '200', '200', '200', '200', '200', '200', '201', '204', '304', '302'] as const;
const ERROR_STATUSES = ['400', '401', '403', '404', '404', '409', '422', '429', '500', '500', '502', '503', '504'] as const;
const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'EUR', 'GBP', 'JPY', 'CAD'] as const;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'] as const;
const UPSTREAMS = ['postgres-primary', 'postgres-replica', 'redis-cache', 'kafka', 'stripe-api', 'smtp-relay', 'sms-gateway', 'search-index'] as const;
const CHANNELS = ['email', 'email', 'sms', 'push'] as const;
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.test'] as const;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function digits(rng: Prng, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String.fromCharCode(48 + rng.int(10));
  return text;
}

function hex(rng: Prng, count: number): string {
  let text = '';
  while (text.length < count) text += rng.uint32().toString(16).padStart(8, '0');
  return text.slice(0, count);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Every placeholder a template may use; unknown names are a config error. */
export const PLACEHOLDERS: Readonly<Record<string, Placeholder>> = {
  userId: { maxLength: 7, fill: (rng) => String(rng.between(1000, 999_999)) },
  orderId: { maxLength: 12, fill: (rng) => `ORD-${digits(rng, 8)}` },
  sku: { maxLength: 10, fill: (rng) => `SKU-${digits(rng, 6)}` },
  sessionId: { maxLength: 16, fill: (rng) => hex(rng, 16) },
  requestId: { maxLength: 12, fill: (rng) => `req-${hex(rng, 8)}` },
  /** Milliseconds, right-skewed: median ~40 ms, rarely above a few seconds. */
  durationMs: { maxLength: 5, fill: (rng) => String(Math.round(clamp(rng.logNormal(Math.log(40), 1), 1, 60_000))) },
  path: { maxLength: 40, fill: (rng) => rng.pick(API_PATHS).replace(':id', String(rng.between(1, 99_999))) },
  method: { maxLength: 6, fill: (rng) => rng.pick(METHODS) },
  status: { maxLength: 3, fill: (rng) => rng.pick(OK_STATUSES) },
  errorStatus: { maxLength: 3, fill: (rng) => rng.pick(ERROR_STATUSES) },
  ip: { maxLength: 15, fill: (rng) => `${rng.between(1, 223)}.${rng.int(256)}.${rng.int(256)}.${rng.between(1, 254)}` },
  amount: { maxLength: 9, fill: (rng) => clamp(rng.logNormal(Math.log(45), 0.9), 0.5, 99_999).toFixed(2) },
  currency: { maxLength: 3, fill: (rng) => rng.pick(CURRENCIES) },
  quantity: { maxLength: 2, fill: (rng) => String(rng.between(1, 20)) },
  count: { maxLength: 4, fill: (rng) => String(rng.between(1, 5000)) },
  attempt: { maxLength: 1, fill: (rng) => String(rng.between(1, 5)) },
  percent: { maxLength: 3, fill: (rng) => String(rng.between(0, 100)) },
  bytes: { maxLength: 8, fill: (rng) => String(Math.round(clamp(rng.logNormal(Math.log(2048), 1.2), 1, 50_000_000))) },
  region: { maxLength: 14, fill: (rng) => rng.pick(REGIONS) },
  upstream: { maxLength: 16, fill: (rng) => rng.pick(UPSTREAMS) },
  channel: { maxLength: 5, fill: (rng) => rng.pick(CHANNELS) },
  /** A masked address, as a careful service would log it. */
  email: { maxLength: 16, fill: (rng) => `${LOWER[rng.int(26)]}***@${rng.pick(EMAIL_DOMAINS)}` },
  port: { maxLength: 5, fill: (rng) => String(rng.between(1024, 65_535)) },
  version: { maxLength: 8, fill: (rng) => `v${rng.between(1, 4)}.${rng.int(20)}.${rng.int(10)}` },
};

export const PLACEHOLDER_NAMES: readonly string[] = Object.keys(PLACEHOLDERS);
