// One-off generator of the golden-byte fixtures for SaslHandshake and SaslAuthenticate (run:
// node <this file>). Requests come from kafkajs's own encoders; responses are written field by
// field with kafkajs's Encoder following the grammar. The tests never run this script.
const fs = require('node:fs');
const path = require('node:path');
const Encoder = require('kafkajs/src/protocol/encoder');

const root = path.resolve(__dirname, '../../../../../infra/local-msk/protocol/requests');
const req = (api, version) => require(`kafkajs/src/protocol/requests/${api}/v${version}/request`);
const hex = (buffer) => buffer.toString('hex').replace(/(.{64})/g, '$1\n').trim() + '\n';

async function write(api, name, encoderOrRequest) {
  const encoder = typeof encoderOrRequest.encode === 'function' ? await encoderOrRequest.encode() : encoderOrRequest;
  fs.mkdirSync(path.join(root, api, 'fixtures'), { recursive: true });
  fs.writeFileSync(path.join(root, api, 'fixtures', `${name}.hex`), hex(encoder.buffer));
}

(async () => {
  const e = () => new Encoder();
  for (const version of [0, 1]) {
    await write('saslHandshake', `v${version}-request`, req('saslHandshake', version)({ mechanism: 'SCRAM-SHA-512' }));
    await write('saslHandshake', `v${version}-response`, e().writeInt16(0).writeArray(['PLAIN', 'SCRAM-SHA-512', 'OAUTHBEARER']));
    await write('saslAuthenticate', `v${version}-request`, req('saslAuthenticate', version)({ authBytes: e().writeBytes(Buffer.from('n,,n=app,r=abc')).buffer }));
  }
  await write('saslAuthenticate', 'v0-response', e().writeInt16(58).writeString('invalid credentials').writeBytes(Buffer.alloc(0)));
  await write('saslAuthenticate', 'v1-response', e().writeInt16(0).writeString(null).writeBytes(Buffer.from('v=abc')).writeInt64(0));
  // Version 2 (flexible): kafkajs has no encoder for it, so both sides are written field by field,
  // with kafkajs's compact (unsigned varint length + 1) encodings and an empty tag buffer (0).
  await write('saslAuthenticate', 'v2-request', e().writeUVarIntBytes(Buffer.from('n,,n=app,r=abc')).writeUVarInt(0));
  await write('saslAuthenticate', 'v2-response', e().writeInt16(58).writeUVarIntString('invalid credentials').writeUVarIntBytes(Buffer.alloc(0)).writeInt64(3600000).writeUVarInt(0));
})();
