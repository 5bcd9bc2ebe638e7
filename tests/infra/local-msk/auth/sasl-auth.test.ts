import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { Reader } from '../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../helpers/cli-process.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { rawSaslAttempt } from '../../../helpers/sasl-frames.js';

const password = 'pa55:word-never-logged';
const iamCredentials = async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

/** A real local MSK process with `--auth required` and one SCRAM/PLAIN user given through the environment. */
describe('local MSK with --auth required', () => {
  let broker: ReadyBroker;

  beforeAll(async () => {
    broker = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--auth', 'required', '--region', 'eu-west-1'], {
      LOCAL_MSK_SASL_USERS: `app:${password}`,
      LOCAL_MSK_LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    broker.child.kill('SIGTERM');
    await waitForExit(broker.child);
  });

  async function topicsWith(sasl: SASLOptions | undefined): Promise<string[]> {
    const admin = new Kafka({ clientId: 'sasl-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...(sasl ? { sasl } : {}) }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'sasl-topic' }] });
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }

  it.each([
    ['SCRAM-SHA-512', { mechanism: 'scram-sha-512', username: 'app', password }],
    ['PLAIN', { mechanism: 'plain', username: 'app', password }],
    [
      'OAUTHBEARER with a token from the MSK IAM signer',
      {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({ value: (await generateAuthTokenFromCredentialsProvider({ region: 'eu-west-1', awsCredentialsProvider: iamCredentials })).token }),
      },
    ],
  ] as Array<[string, SASLOptions]>)('serves a kafkajs client that authenticates with %s', async (_name, sasl) => {
    // Act
    const topics = await topicsWith(sasl);

    // Assess
    expect(topics).toContain('sasl-topic');
  });

  it.each([
    ['no SASL at all', undefined, /Closed connection|connection/i],
    ['a wrong SCRAM password', { mechanism: 'scram-sha-512', username: 'app', password: 'wrong' }, /invalid credentials/],
    ['an unknown SCRAM user', { mechanism: 'scram-sha-512', username: 'nobody', password }, /invalid credentials/],
    ['a wrong PLAIN password', { mechanism: 'plain', username: 'app', password: 'wrong' }, /Invalid username or password/],
    [
      'an IAM token signed for another region',
      {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => ({ value: (await generateAuthTokenFromCredentialsProvider({ region: 'us-east-1', awsCredentialsProvider: iamCredentials })).token }),
      },
      /not signed for region eu-west-1/,
    ],
    ['an OAUTHBEARER token that is not an IAM token', { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: 'eyJhbGciOiJub25lIn0.e30.' }) }, /IAM token/],
  ] as Array<[string, SASLOptions | undefined, RegExp]>)('refuses a kafkajs client with %s', async (_name, sasl, message) => {
    // Act
    const outcome = topicsWith(sasl);

    // Assess
    await expect(outcome).rejects.toThrow(message);
  });

  it('closes a connection that sends anything but ApiVersions/SASL before authenticating', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    const versions = await client.send(ApiKey.ApiVersions, 0, Buffer.alloc(0));
    const metadata = client.send(ApiKey.Metadata, 0, Buffer.from([0, 0, 0, 0]));

    // Assess
    expect(versions.readInt16BE(0)).toBe(ErrorCode.NONE);
    await expect(metadata).rejects.toThrow('connection closed');
    await client.closed;
  });

  const hostile: Array<[string, string, Buffer]> = [
    ['an empty SCRAM token', 'SCRAM-SHA-512', Buffer.alloc(0)],
    ['an oversize token', 'SCRAM-SHA-512', Buffer.alloc(64 * 1024, 0x61)],
    ['a SCRAM message without n= and r=', 'SCRAM-SHA-512', Buffer.from('n,,x=app,y=abc')],
    ['a SCRAM message with a bad saslname escape', 'SCRAM-SHA-512', Buffer.from('n,,n=a=ZZpp,r=abc')],
    ['a SCRAM message with channel binding', 'SCRAM-SHA-512', Buffer.from('p=tls-unique,,n=app,r=abc')],
    ['bytes that are not UTF-8', 'SCRAM-SHA-512', Buffer.from([0x6e, 0x2c, 0x2c, 0xff, 0xfe])],
    ['PLAIN without separators', 'PLAIN', Buffer.from('app')],
    ['OAUTHBEARER with bad base64url', 'OAUTHBEARER', Buffer.from('n,,\x01auth=Bearer ***not-base64***\x01\x01')],
    ['OAUTHBEARER without the closing separators', 'OAUTHBEARER', Buffer.from('n,,\x01auth=Bearer abc')],
  ];

  it.each(hostile)('answers %s with SASL_AUTHENTICATION_FAILED, closes that connection, and keeps serving', async (_name, mechanism, token) => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    const outcome = await rawSaslAttempt(client, mechanism, token);
    await client.closed;
    const afterwards = await topicsWith({ mechanism: 'scram-sha-512', username: 'app', password });

    // Assess
    expect(outcome?.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(afterwards).toContain('sasl-topic');
    expect(broker.child.exitCode).toBeNull();
  });

  it('answers a SCRAM client-final with a bad base64 proof with an error', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    await client.send(ApiKey.SaslHandshake, 1, Buffer.from([0, 13, ...Buffer.from('SCRAM-SHA-512')]));
    const first = await client.send(ApiKey.SaslAuthenticate, 1, lengthPrefixed(Buffer.from('n,,n=app,r=client-nonce')));
    const serverFirst = first.subarray(8, 8 + first.readInt32BE(4)).toString('utf8');
    const nonce = /r=([^,]+)/.exec(serverFirst)![1];

    // Act
    const final = await client.send(ApiKey.SaslAuthenticate, 1, lengthPrefixed(Buffer.from(`c=biws,r=${nonce},p=%%%not base64%%%`)));

    // Assess
    expect(first.readInt16BE(0)).toBe(ErrorCode.NONE);
    expect(final.readInt16BE(0)).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    await client.closed;
  });

  it.each([
    ['only the client nonce', (_server: string) => 'client-nonce'],
    ["the server's nonce with more after it", (server: string) => `${server}x`],
    ["another prefix before the server's nonce", (server: string) => `other-${server}`],
  ])("refuses a SCRAM client-final whose nonce is %s (the server's, or librdkafka's client-nonce + server's, are the only ones taken)", async (_name, nonceFor) => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    await client.send(ApiKey.SaslHandshake, 1, Buffer.from([0, 13, ...Buffer.from('SCRAM-SHA-512')]));
    const first = await client.send(ApiKey.SaslAuthenticate, 1, lengthPrefixed(Buffer.from('n,,n=app,r=client-nonce')));
    const serverNonce = /r=([^,]+)/.exec(first.subarray(8, 8 + first.readInt32BE(4)).toString('utf8'))![1]!;
    const proof = Buffer.alloc(64).toString('base64');

    // Act
    const final = await client.send(ApiKey.SaslAuthenticate, 1, lengthPrefixed(Buffer.from(`c=biws,r=${nonceFor(serverNonce)},p=${proof}`)));

    // Assess
    expect(final.readInt16BE(0)).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(final.subarray(4, 4 + final.readInt16BE(2)).toString('utf8')).toBe('SCRAM nonce does not match');
    await client.closed;
  });

  it.each([
    ['the right password', password, ErrorCode.NONE, null],
    ['a wrong password', 'wrong', ErrorCode.SASL_AUTHENTICATION_FAILED, 'Invalid username or password'],
  ])('answers SaslAuthenticate v2 (flexible: request header v2, response header v1) with %s', async (_name, secret, errorCode, errorMessage) => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    await client.send(ApiKey.SaslHandshake, 1, new Writer().string('PLAIN').toBuffer());
    const body = new Writer().compactBytes(Buffer.from(`\u0000app\u0000${secret}`)).emptyTaggedFields().toBuffer();

    // Act
    const answer = new Reader(await client.sendFlexible(ApiKey.SaslAuthenticate, 2, body));
    answer.skipTaggedFields(); // response header v1
    const response = {
      errorCode: answer.int16(),
      errorMessage: answer.compactNullableBytes()?.toString('utf8') ?? null,
      authBytes: answer.compactBytes().length,
      sessionLifetimeMs: answer.int64(),
    };
    answer.skipTaggedFields();
    const metadata = await client.send(ApiKey.Metadata, 0, Buffer.from([0, 0, 0, 0])).catch((error: Error) => error);

    // Assess
    expect(response).toEqual({ errorCode, errorMessage: errorMessage === null ? null : expect.stringContaining(errorMessage), authBytes: 0, sessionLifetimeMs: 0 });
    expect(answer.remaining()).toBe(0);
    if (errorCode === ErrorCode.NONE) expect(metadata).toBeInstanceOf(Buffer);
    else expect(metadata).toBeInstanceOf(Error); // the connection closes after a refusal
    await client.close();
  });

  it('never logs the password or a token', () => {
    // Assess
    expect(broker.stderr()).toContain('client authenticated');
    expect(broker.stderr()).not.toContain(password);
    expect(broker.stderr()).not.toContain('X-Amz-Signature');
  });
});

function lengthPrefixed(bytes: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(bytes.length, 0);
  return Buffer.concat([size, bytes]);
}
