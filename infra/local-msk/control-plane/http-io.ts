import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { ControlPlaneError } from './control-plane-error.js';

export type BodyOutcome = 'ok' | 'too-large' | 'aborted';

/**
 * Reads and discards a request body (no operation here takes one), counting its bytes.
 * 'too-large' once it passes `limitBytes`; the rest is still drained (up to `drainBytes`)
 * so the client reads the 413 instead of a connection reset; beyond that, or when
 * Content-Length alone exceeds it, the caller answers and closes the connection.
 */
export function drainBody(request: IncomingMessage, limitBytes: number, drainBytes: number): Promise<BodyOutcome> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > drainBytes) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    let received = 0;
    let settled = false;
    const settle = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > drainBytes) {
        request.pause();
        settle('too-large');
      }
    });
    request.on('end', () => settle(received > limitBytes ? 'too-large' : 'ok'));
    request.on('error', () => settle('aborted'));
    request.on('close', () => settle(request.complete ? (received > limitBytes ? 'too-large' : 'ok') : 'aborted'));
  });
}

/** Writes a JSON response with AWS's request-id header. `close` ends the connection afterwards. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, close = false): void {
  if (response.headersSent || response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...(close ? { connection: 'close' } : {}),
    ...headers,
  });
  response.end(payload);
}

/** Writes an error the AWS SDK parses into the named exception class. */
export function sendError(response: ServerResponse, error: ControlPlaneError, close = false): void {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.type };
  if (error.status === 405) headers.allow = 'GET';
  sendJson(response, error.status, error.toJSON(), headers, close);
}

/** A complete raw HTTP/1.1 error response, for sockets whose request could not even be parsed. */
export function rawErrorResponse(status: number, type: string, message: string): string {
  const payload = JSON.stringify({ message });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(payload)}`,
    `x-amzn-errortype: ${type}`,
    'connection: close',
    '',
    payload,
  ].join('\r\n');
}
