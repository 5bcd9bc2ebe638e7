import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../../helpers/broker.js';

/** Sends raw bytes and returns everything the server writes until it closes the connection. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('MSK control plane against bad HTTP input', () => {
  let broker: TestBroker;
  let url: string;

  beforeAll(async () => {
    broker = await startTestBroker({ controlPlanePort: 0 });
    url = broker.controlPlaneUrl!;
  });

  afterAll(async () => {
    await broker?.close();
  });

  /** Fetches and checks the response is an AWS-style JSON error; returns status, type and body. */
  async function fetchError(path: string, init?: RequestInit) {
    const logged = broker.logLines.length;
    const response = await fetch(`${url}${path}`, init);
    const body = (await response.json()) as { message?: unknown; invalidParameter?: unknown };
    return {
      status: response.status,
      type: response.headers.get('x-amzn-errortype'),
      allow: response.headers.get('allow'),
      contentType: response.headers.get('content-type'),
      body,
      newLogLines: broker.logLines.length - logged,
    };
  }

  it.each([
    ['/api/v2/clusters?maxResults=0', 'maxResults'],
    ['/api/v2/clusters?maxResults=101', 'maxResults'],
    ['/api/v2/clusters?maxResults=ten', 'maxResults'],
    ['/v1/clusters?maxResults=-1', 'maxResults'],
    ['/api/v2/clusters?maxResults=5&maxResults=6', 'maxResults'],
    ['/api/v2/clusters?nextToken=not-a-token', 'nextToken'],
    ['/api/v2/clusters?nextToken=%00%01', 'nextToken'],
    ['/api/v2/clusters?clusterTypeFilter=BIG', 'clusterTypeFilter'],
    ['/api/v2/clusters/%E0%A4%A', 'clusterArn'],
    ['/v1/clusters/arn%3Aaws%3Akafka%3A%ZZ/bootstrap-brokers', 'clusterArn'],
  ])('GET %s is a 400 BadRequestException naming %s, logged once', async (path, parameter) => {
    // Act
    const answer = await fetchError(path);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.type).toBe('BadRequestException');
    expect(answer.contentType).toBe('application/json');
    expect(answer.body.invalidParameter).toBe(parameter);
    expect(typeof answer.body.message).toBe('string');
    expect(answer.newLogLines).toBe(1);
  });

  it.each(['/', '/v1/clusters/x/nodes', '/api/v2/clusters/a/b', '/api/v3/clusters', '/v1//bootstrap-brokers'])(
    'GET %s is a 404 that lists the supported operations',
    async (path) => {
      // Act
      const answer = await fetchError(path);

      // Assess
      expect(answer.status).toBe(404);
      expect(answer.type).toBe('NotFoundException');
      expect(answer.body.message).toMatch(/supported: .*GetBootstrapBrokers/);
      expect(answer.newLogLines).toBe(1);
    },
  );

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s on a known path is a 405 with Allow: GET', async (method) => {
    // Act
    const answer = await fetchError('/api/v2/clusters', { method });

    // Assess
    expect(answer.status).toBe(405);
    expect(answer.allow).toBe('GET');
    expect(answer.type).toBe('MethodNotAllowedException');
    expect(answer.newLogLines).toBe(1);
  });

  it('a request body above the limit is a 413', async () => {
    // Act
    const answer = await fetchError('/api/v2/clusters', { method: 'POST', body: Buffer.alloc(64 * 1024, 0x61) });

    // Assess
    expect(answer.status).toBe(413);
    expect(answer.body.message).toMatch(/limited to \d+ bytes/);
    expect(answer.newLogLines).toBe(1);
  });

  it('a declared body far above the limit is a 413 and the connection is closed without reading it', async () => {
    // Prepare
    const port = Number(new URL(url).port);

    // Act
    const reply = await rawExchange(port, 'POST /api/v2/clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nabc');

    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/connection: close/i);
  });

  it('a URL above the control plane limit is a 414', async () => {
    // Act
    const answer = await fetchError(`/api/v2/clusters?clusterNameFilter=${'a'.repeat(5000)}`);

    // Assess
    expect(answer.status).toBe(414);
    expect(answer.newLogLines).toBe(1);
  });

  it('a request line above the HTTP parser limit is a 431 JSON error, logged once', async () => {
    // Act
    const answer = await fetchError(`/api/v2/clusters/${'b'.repeat(20_000)}`);

    // Assess
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('BadRequestException');
    expect(answer.newLogLines).toBe(1);
  });

  it('bytes that are not HTTP get a 400 and the connection is closed', async () => {
    // Prepare
    const port = Number(new URL(url).port);
    const logged = broker.logLines.length;

    // Act
    const reply = await rawExchange(port, '\x00\x01\x02 not http at all\r\n\r\n');

    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"message":"malformed HTTP request"');
    expect(broker.logLines.length - logged).toBe(1);
  });

  it('still serves well-formed requests after all of the above, without logging them', async () => {
    // Prepare
    const logged = broker.logLines.length;

    // Act
    const response = await fetch(`${url}/api/v2/clusters?maxResults=100`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/kafka/aws4_request, SignedHeaders=host, Signature=00' },
    });
    const body = (await response.json()) as { clusterInfoList: { clusterArn: string }[] };

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.clusterInfoList.map((cluster) => cluster.clusterArn)).toEqual([broker.clusterArn]);
    expect(broker.logLines.length).toBe(logged);
  });
});
