import fc from 'fast-check';
import type { GrammarField, GrammarType } from './kafka-request-grammar.js';
import { array, int16Of, int32Of, longClientId, maxLengthAscii, maxLengthInvalidUtf8, primitive, tagBuffer, type OrdinaryNames } from './hostile-wire-values.js';

/**
 * Hostile request frames for one API version: a request that follows the version's grammar
 * with field values at and beyond their limits, or a frame broken at the framing level.
 * `endsConnection` tells the sender to half-close after the bytes: a frame the broker
 * cannot finish reading is only ever answered by closing the connection.
 */
export interface HostileFrame {
  /** What the case is, for failure messages. */
  kind: 'request' | 'truncated-body' | 'unfinished-frame' | 'frame-size' | 'unsupported-version';
  bytes: Buffer;
  endsConnection: boolean;
}

export interface HostileTarget {
  apiKey: number;
  version: number;
  /** One past the highest registered version (an unsupported one). */
  unsupportedVersion: number;
  /** A flexible version: request header v2 (a TAG_BUFFER after the client id). */
  flexible: boolean;
  grammar: GrammarField[];
  /** The broker's frame size limit. */
  maxFrameBytes: number;
}

export function hostileFrame(target: HostileTarget, names: OrdinaryNames): fc.Arbitrary<HostileFrame> {
  const request = fc.record({ header: hostileHeader(target.apiKey, target.version, target.flexible), body: hostileBody(target.grammar, names) });
  return fc.oneof(
    { weight: 14, arbitrary: request.map(({ header, body }) => ({ kind: 'request' as const, bytes: framed(header, body), endsConnection: false })) },
    {
      weight: 2,
      arbitrary: fc.tuple(request, fc.double({ min: 0, max: 1, noNaN: true })).map(([{ header, body }, share]) => ({
        kind: 'truncated-body' as const,
        bytes: framed(header, body.subarray(0, Math.floor(body.length * share))),
        endsConnection: false,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(request, fc.double({ min: 0, max: 1, noNaN: true })).map(([{ header, body }, share]) => {
        const whole = framed(header, body);
        return { kind: 'unfinished-frame' as const, bytes: whole.subarray(0, Math.floor(whole.length * share)), endsConnection: true };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(-1, -0x80000000, 0x7fffffff, target.maxFrameBytes + 1, target.maxFrameBytes, 0)
        .map((size) => ({ kind: 'frame-size' as const, bytes: Buffer.concat([int32Of(size), int16Of(target.apiKey)]), endsConnection: true })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(target.unsupportedVersion, -1, 0x7fff).map((version) => ({
        kind: 'unsupported-version' as const,
        bytes: framed(requestHeader(target.apiKey, version, 7, Buffer.from('fuzz', 'utf8')), Buffer.alloc(0)),
        endsConnection: false,
      })),
    },
  );
}

/**
 * Request header v1: api key, version, any correlation id, a client id at or beyond its limits;
 * for a flexible version header v2, which adds a TAG_BUFFER (itself hostile at times).
 */
function hostileHeader(apiKey: number, version: number, flexible: boolean): fc.Arbitrary<Buffer> {
  const clientId = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Buffer | null>(Buffer.from('fuzz-client', 'utf8')) },
    { weight: 1, arbitrary: fc.constant<Buffer | null>(null) },
    { weight: 2, arbitrary: fc.constantFrom<Buffer | null>(longClientId, maxLengthAscii, maxLengthInvalidUtf8, Buffer.alloc(0)) },
  );
  return fc
    .tuple(fc.integer({ min: -0x80000000, max: 0x7fffffff }), clientId, flexible ? tagBuffer() : fc.constant(Buffer.alloc(0)))
    .map(([correlationId, id, tags]) => Buffer.concat([requestHeader(apiKey, version, correlationId, id), tags]));
}

function requestHeader(apiKey: number, version: number, correlationId: number, clientId: Buffer | null): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeInt16BE(apiKey, 0);
  fixed.writeInt16BE(version, 2);
  fixed.writeInt32BE(correlationId, 4);
  return Buffer.concat([fixed, clientId === null ? int16Of(-1) : Buffer.concat([int16Of(clientId.length), clientId])]);
}

/** The request body: every field of the grammar in order. */
function hostileBody(fields: readonly GrammarField[], names: OrdinaryNames): fc.Arbitrary<Buffer> {
  if (fields.length === 0) return fc.constant(Buffer.alloc(0));
  return fc.tuple(...fields.map((field) => hostileValue(field.type, names))).map((parts) => Buffer.concat(parts));
}

function hostileValue(type: GrammarType, names: OrdinaryNames): fc.Arbitrary<Buffer> {
  switch (type.kind) {
    case 'primitive':
      return primitive(type.primitive, names);
    case 'struct':
      return hostileBody(type.fields, names);
    case 'array':
      return array(hostileValue(type.element, names));
  }
}

function framed(header: Buffer, body: Buffer): Buffer {
  return Buffer.concat([int32Of(header.length + body.length), header, body]);
}
