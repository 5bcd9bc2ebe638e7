import { createRequire } from 'node:module';
import { connect } from 'node:net';

const require = createRequire(import.meta.url);

/**
 * Sends one request to the broker, framed as kafkajs frames it (request header v1), with a
 * body built by kafkajs's own request encoder for `api`/`version`, and decodes the answer
 * with kafkajs's own response decoder. Lets tests hit exact versions and requests that
 * kafkajs's admin API refuses to send (duplicates, manual assignments, null configs).
 */
export async function kafkajsRoundTrip(bootstrap: string, api: string, version: number, args: unknown): Promise<any> {
  const request = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`)(args);
  const body: Buffer = (await request.encode()).buffer;
  const responseBody = await exchange(bootstrap, request.apiKey, version, body);
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response`).decode(responseBody);
}

/** One request frame out, one response body (after the correlation id) back. */
export function exchange(bootstrap: string, apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
  const [host, port] = bootstrap.split(':') as [string, string];
  const clientId = Buffer.from('admin-wire-test');
  const header = Buffer.alloc(10 + clientId.length);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(7, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);

  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host, () => socket.write(Buffer.concat([size, header, body])));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        socket.destroy();
        if (received.readInt32BE(4) !== 7) reject(new Error('correlation id mismatch'));
        else resolve(received.subarray(8, 4 + received.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a full response')));
  });
}
