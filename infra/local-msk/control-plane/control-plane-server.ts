import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ControlPlaneError, shorten } from './control-plane-error.js';
import { drainBody, rawErrorResponse, sendError, sendJson } from './http-io.js';
import { route } from './routes.js';

/** The one cluster the local MSK registers, as the control plane describes it. */
export interface LocalCluster {
  clusterName: string;
  clusterArn: string;
  /** Comma-separated host:port list, as GetBootstrapBrokers returns it. */
  bootstrapBrokers: string;
  /**
   * Which client authentication the Kafka listener offers, as MSK's clientAuthentication names it:
   * unauthenticated access (auth none/optional), SASL/SCRAM (auth on with users) and SASL/IAM
   * (auth on). The local MSK serves all of them on its one plaintext listener.
   */
  clientAuthentication: { unauthenticated: boolean; saslScram: boolean; saslIam: boolean };
  region: string;
  /** ISO-8601 creation time. */
  creationTime: string;
  kafkaVersion: string;
  numberOfBrokerNodes: number;
}

export interface ControlPlaneOptions {
  host: string;
  port: number;
  cluster: LocalCluster;
  logger: Logger;
}

export interface RunningControlPlane {
  /** e.g. http://127.0.0.1:4510 — give it to @aws-sdk/client-kafka as `endpoint`. */
  url: string;
  close(): Promise<void>;
}

/** Request bodies above this are refused with 413 (no supported operation takes a body). */
const maxBodyBytes = 16 * 1024;
/** Bodies up to this are read and discarded so the 413 reaches the client; larger ones close the connection. */
const maxDrainBytes = 1024 * 1024;
/** Request targets (path + query) above this are refused with 414. */
const maxUrlLength = 4096;

/**
 * The MSK control-plane endpoint: enough of the Amazon MSK REST API for @aws-sdk/client-kafka
 * to find the local cluster and its bootstrap brokers exactly as on AWS. Requests are not
 * authenticated (any SigV4 signature is accepted). Every bad request gets a JSON error and
 * at most one log line; no input can stop the server.
 */
export async function startControlPlane(options: ControlPlaneOptions): Promise<RunningControlPlane> {
  const { cluster, logger } = options;
  const server = createServer((request, response) => {
    handle(request, response, cluster, logger).catch((error: Error) => {
      logger.error('control plane request failed', { error: error.message });
      sendJson(response, 500, { message: 'internal error in the local MSK control plane' }, { 'x-amzn-errortype': 'InternalServerErrorException' }, true);
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => rejectUnparsable(error, socket, logger));

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new ConfigError(`cannot listen on ${options.host}:${options.port} for the MSK control plane (${error.code}); choose another --control-plane-port or pass --no-control-plane`, { cause: error })
          : error,
      ),
    );
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      server.on('error', (error: Error) => logger.error('control plane server error', { error: error.message }));
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : options.port);
    });
  });
  const url = `http://${urlHost(options.host)}:${port}`;
  logger.info('MSK control plane listening', { url, clusterArn: cluster.clusterArn });

  let closing: Promise<void> | null = null;
  return {
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, cluster: LocalCluster, logger: Logger): Promise<void> {
  const method = request.method ?? 'GET';
  const target = request.url ?? '/';
  const reject = (error: ControlPlaneError, close = false) => {
    logger.warn('control plane rejected request', { method: shorten(method, 20), path: shorten(target.split('?')[0]!, 200), status: error.status, reason: error.message });
    sendError(response, error, close);
  };
  request.on('error', () => {}); // aborted uploads: nothing to answer
  response.on('error', () => {}); // client went away mid-response

  const body = await drainBody(request, maxBodyBytes, maxDrainBytes);
  if (body === 'aborted') return;
  if (body === 'too-large') {
    reject(new ControlPlaneError(413, 'PayloadTooLargeException', `request bodies are limited to ${maxBodyBytes} bytes`), true);
    return;
  }
  if (target.length > maxUrlLength) {
    reject(new ControlPlaneError(414, 'BadRequestException', `request URLs are limited to ${maxUrlLength} characters`));
    return;
  }
  if (!target.startsWith('/')) {
    reject(new ControlPlaneError(400, 'BadRequestException', 'the request target must be an absolute path'));
    return;
  }
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1));
  try {
    sendJson(response, 200, route(method, path, query, cluster));
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error;
    reject(error);
  }
}

/** Answers a request Node's HTTP parser refused (oversized headers, garbage, timeouts) and closes. */
function rejectUnparsable(error: NodeJS.ErrnoException, socket: Socket, logger: Logger): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  logger.warn('control plane rejected unparsable request', { status, error: shorten(error.code ?? error.message, 80) });
  socket.end(rawErrorResponse(status, 'BadRequestException', status === 431 ? 'request line or headers too large' : status === 408 ? 'request timed out' : 'malformed HTTP request'));
  socket.destroySoon();
}

/** The host part of the endpoint URL: loopback for wildcard binds, brackets for IPv6. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
