import type { LogLevel } from '../../../shared/log/log-record.js';
import type { CompiledConfig } from '../generator-config.js';
import type { LogDraft } from '../log-draft.js';
import { usualTime } from '../normal-log.js';
import type { Prng } from '../prng.js';
import type { UnusualToken } from './unusual-tokens.js';

interface KeywordPattern {
  readonly token: UnusualToken;
  readonly level: LogLevel;
  render(rng: Prng, service: string): string;
}

const hex = (rng: Prng): string => rng.uint32().toString(16).padStart(8, '0');

/** One message shape per unusual token; each message contains exactly its token. */
const PATTERNS: readonly KeywordPattern[] = [
  { token: 'ERR_0xDEADBEEF', level: 'ERROR', render: (rng) => `Unexpected response code ERR_0xDEADBEEF from upstream after ${rng.between(5, 900)}ms` },
  { token: 'SEGFAULT', level: 'FATAL', render: (rng) => `Worker ${rng.between(1, 64)} terminated by SEGFAULT at address 0x${hex(rng)}` },
  { token: 'OOMKilled', level: 'ERROR', render: (rng) => `Container restarted: reason OOMKilled, limit ${rng.pick([256, 512, 1024, 2048])}Mi` },
  { token: 'disk quota exceeded', level: 'ERROR', render: (rng, service) => `Write to /var/lib/${service}/data-${rng.between(1, 9)} failed: disk quota exceeded` },
  { token: 'kernel panic', level: 'FATAL', render: (rng) => `Node reported kernel panic, CPU#${rng.between(0, 31)} not syncing` },
  { token: 'SIGBUS', level: 'FATAL', render: (rng) => `Process ${rng.between(100, 65_000)} received SIGBUS while mapping shared memory` },
  { token: 'stack smashing detected', level: 'FATAL', render: (rng) => `*** stack smashing detected ***: terminated (pid ${rng.between(100, 65_000)})` },
  { token: 'E_CORRUPT_INDEX', level: 'ERROR', render: (rng) => `Index segment ${rng.between(1, 400)} unreadable: E_CORRUPT_INDEX` },
  { token: 'CERT_HAS_EXPIRED', level: 'WARN', render: (rng) => `TLS handshake with upstream rejected: CERT_HAS_EXPIRED (serial ${hex(rng)})` },
  { token: 'split-brain', level: 'WARN', render: (rng) => `Cluster membership changed: possible split-brain, ${rng.between(2, 5)} leaders seen` },
];

/** A keyword anomaly: a known service, at a usual hour, whose message carries one unusual token. */
export function drawKeywordAnomaly(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft {
  const service = config.services.pick(rng);
  const pattern = rng.pick(PATTERNS);
  return {
    service: service.name,
    host: rng.pick(service.hosts),
    level: pattern.level,
    message: pattern.render(rng, service.name),
    timeMs: usualTime(logTimeMs, service),
  };
}
