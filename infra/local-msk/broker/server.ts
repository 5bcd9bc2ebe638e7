import { createServer, type Server } from 'node:net';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { Connection, type ConnectionLimits } from './connection.js';
import type { BrokerContext } from './context.js';
import type { ApiRegistry } from './registry.js';

/** The Kafka-protocol TCP listener: accepts connections and hands each to a Connection. */
export class KafkaServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(
    registry: ApiRegistry,
    broker: () => BrokerContext,
    limits: ConnectionLimits,
    private readonly logger: Logger,
  ) {
    this.server = createServer((socket) => {
      const connection = new Connection(socket, this.nextConnectionId++, registry, broker(), limits, logger, (closed) =>
        this.connections.delete(closed),
      );
      this.connections.add(connection);
    });
  }

  /** Binds and resolves with the port actually bound (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE' || error.code === 'EACCES'
            ? new ConfigError(`cannot listen on ${host}:${port} (${error.code}): is another broker running there? Choose another --port`, { cause: error })
            : error,
        ),
      );
      this.server.listen(port, host, () => {
        this.server.removeAllListeners('error');
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting and closes every open connection. */
  async close(): Promise<void> {
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of [...this.connections]) connection.close();
    await closing;
  }
}
