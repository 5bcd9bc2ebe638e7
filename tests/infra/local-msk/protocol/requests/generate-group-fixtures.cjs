// One-off generator of the golden-byte fixtures for the group APIs (run: node <this file>).
// Request bodies come from kafkajs's own request encoders (the body the client puts after the
// request header); versions kafkajs lacks, and all response bodies, are written field by field
// with kafkajs's Encoder following the protocol grammar. The output is committed as hex; the
// tests never run this script.
const fs = require('node:fs');
const path = require('node:path');
const Encoder = require('kafkajs/src/protocol/encoder');

const root = path.resolve(__dirname, '../../../../../infra/local-msk/protocol/requests');
const req = (api, version) => require(`kafkajs/src/protocol/requests/${api}/v${version}/request`);

function hex(buffer) {
  return buffer.toString('hex').replace(/(.{64})/g, '$1\n').trim() + '\n';
}

async function write(api, name, encoderOrRequest) {
  const encoder = typeof encoderOrRequest.encode === 'function' ? await encoderOrRequest.encode() : encoderOrRequest;
  const dir = path.join(root, api, 'fixtures');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.hex`), hex(encoder.buffer));
}

const e = () => new Encoder();
const protocols = [
  { name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2, 3]) },
  { name: 'range', metadata: Buffer.alloc(0) },
];

async function findCoordinator() {
  await write('findCoordinator', 'v0-request', req('findCoordinator', 0)({ groupId: 'my-group' }));
  await write('findCoordinator', 'v1-request', req('findCoordinator', 1)({ coordinatorKey: 'my-group', coordinatorType: 0 }));
  await write('findCoordinator', 'v2-request', req('findCoordinator', 2)({ coordinatorKey: 'txn-id', coordinatorType: 1 }));
  await write('findCoordinator', 'v0-response', e().writeInt16(0).writeInt32(1).writeString('localhost').writeInt32(9092));
  await write('findCoordinator', 'v1-response', e().writeInt32(0).writeInt16(0).writeString(null).writeInt32(1).writeString('localhost').writeInt32(9092));
  await write('findCoordinator', 'v2-response',
    e().writeInt32(0).writeInt16(15).writeString('transactions are not supported by the local MSK').writeInt32(-1).writeString('').writeInt32(-1));
}

async function joinGroup() {
  const base = { groupId: 'g1', sessionTimeout: 30000, rebalanceTimeout: 60000, protocolType: 'consumer', groupProtocols: protocols };
  for (const version of [0, 1, 2, 3]) await write('joinGroup', `v${version}-request`, req('joinGroup', version)({ ...base, memberId: '' }));
  await write('joinGroup', 'v4-request', req('joinGroup', 4)({ ...base, memberId: 'client-abc' }));
  await write('joinGroup', 'v5-request', req('joinGroup', 5)({ ...base, memberId: 'client-abc', groupInstanceId: 'instance-1' }));
  const generation = (enc) => enc.writeInt32(3).writeString('RoundRobinAssigner').writeString('client-abc').writeString('client-abc');
  const members = (withInstance) => [
    withInstance ? e().writeString('client-abc').writeString(null).writeBytes(Buffer.from([0, 1, 2, 3])) : e().writeString('client-abc').writeBytes(Buffer.from([0, 1, 2, 3])),
    withInstance ? e().writeString('client-def').writeString('instance-2').writeBytes(Buffer.from([4, 5])) : e().writeString('client-def').writeBytes(Buffer.from([4, 5])),
  ];
  await write('joinGroup', 'v0-response', generation(e().writeInt16(0)).writeArray(members(false)));
  await write('joinGroup', 'v1-response', generation(e().writeInt16(0)).writeArray(members(false)));
  await write('joinGroup', 'v2-response', generation(e().writeInt32(0).writeInt16(0)).writeArray(members(false)));
  await write('joinGroup', 'v3-response', generation(e().writeInt32(0).writeInt16(0)).writeArray(members(false)));
  // v4: a first join answered MEMBER_ID_REQUIRED (79) with the id to rejoin with.
  await write('joinGroup', 'v4-response',
    e().writeInt32(0).writeInt16(79).writeInt32(-1).writeString('').writeString('').writeString('client-abc').writeArray([]));
  await write('joinGroup', 'v5-response', generation(e().writeInt32(0).writeInt16(0)).writeArray(members(true)));
}

async function syncGroup() {
  const base = {
    groupId: 'g1', generationId: 3, memberId: 'client-abc',
    groupAssignment: [{ memberId: 'client-abc', memberAssignment: Buffer.from([1, 2]) }, { memberId: 'client-def', memberAssignment: Buffer.from([3]) }],
  };
  for (const version of [0, 1, 2]) await write('syncGroup', `v${version}-request`, req('syncGroup', version)(base));
  await write('syncGroup', 'v3-request', req('syncGroup', 3)({ ...base, groupInstanceId: 'instance-1' }));
  await write('syncGroup', 'v0-response', e().writeInt16(0).writeBytes(Buffer.from([1, 2])));
  await write('syncGroup', 'v1-response', e().writeInt32(0).writeInt16(0).writeBytes(Buffer.from([1, 2])));
  await write('syncGroup', 'v2-response', e().writeInt32(0).writeInt16(27).writeBytes(Buffer.alloc(0)));
  await write('syncGroup', 'v3-response', e().writeInt32(0).writeInt16(0).writeBytes(Buffer.from([1, 2])));
}

async function heartbeat() {
  const base = { groupId: 'g1', groupGenerationId: 3, memberId: 'client-abc' };
  for (const version of [0, 1, 2]) await write('heartbeat', `v${version}-request`, req('heartbeat', version)(base));
  await write('heartbeat', 'v3-request', req('heartbeat', 3)({ ...base, groupInstanceId: null }));
  await write('heartbeat', 'v0-response', e().writeInt16(0));
  await write('heartbeat', 'v1-response', e().writeInt32(0).writeInt16(27));
  await write('heartbeat', 'v2-response', e().writeInt32(0).writeInt16(0));
  await write('heartbeat', 'v3-response', e().writeInt32(0).writeInt16(22));
}

async function leaveGroup() {
  for (const version of [0, 1, 2]) await write('leaveGroup', `v${version}-request`, req('leaveGroup', version)({ groupId: 'g1', memberId: 'client-abc' }));
  await write('leaveGroup', 'v3-request', req('leaveGroup', 3)({
    groupId: 'g1',
    members: [{ memberId: 'client-abc', groupInstanceId: null }, { memberId: 'client-def', groupInstanceId: 'instance-2' }],
  }));
  await write('leaveGroup', 'v0-response', e().writeInt16(0));
  await write('leaveGroup', 'v1-response', e().writeInt32(0).writeInt16(25));
  await write('leaveGroup', 'v2-response', e().writeInt32(0).writeInt16(0));
  await write('leaveGroup', 'v3-response', e().writeInt32(0).writeInt16(0).writeArray([
    e().writeString('client-abc').writeString(null).writeInt16(0),
    e().writeString('client-def').writeString('instance-2').writeInt16(25),
  ]));
}

async function offsetCommit() {
  const topics = [{ topic: 't1', partitions: [{ partition: 0, offset: '42', metadata: null }, { partition: 1, offset: '7', metadata: 'm' }] }];
  const member = { groupId: 'g1', groupGenerationId: 3, memberId: 'client-abc' };
  await write('offsetCommit', 'v0-request', req('offsetCommit', 0)({ groupId: 'g1', topics }));
  await write('offsetCommit', 'v1-request', req('offsetCommit', 1)({
    ...member,
    topics: [{ topic: 't1', partitions: [{ partition: 0, offset: '42', timestamp: 1700000000000, metadata: null }, { partition: 1, offset: '7', timestamp: -1, metadata: 'm' }] }],
  }));
  await write('offsetCommit', 'v2-request', req('offsetCommit', 2)({ ...member, retentionTime: 86400000, topics }));
  await write('offsetCommit', 'v3-request', req('offsetCommit', 3)({ ...member, retentionTime: -1, topics }));
  await write('offsetCommit', 'v4-request', req('offsetCommit', 4)({ ...member, retentionTime: -1, topics }));
  await write('offsetCommit', 'v5-request', req('offsetCommit', 5)({ ...member, topics }));
  // v6/v7 are not in kafkajs: partitions gain committed_leader_epoch, v7 adds group_instance_id.
  const epochTopics = () => [e().writeString('t1').writeArray([
    e().writeInt32(0).writeInt64('42').writeInt32(5).writeString(null),
    e().writeInt32(1).writeInt64('7').writeInt32(-1).writeString('m'),
  ])];
  await write('offsetCommit', 'v6-request', e().writeString('g1').writeInt32(3).writeString('client-abc').writeArray(epochTopics()));
  await write('offsetCommit', 'v7-request', e().writeString('g1').writeInt32(3).writeString('client-abc').writeString('instance-1').writeArray(epochTopics()));
  const responseTopics = () => [e().writeString('t1').writeArray([e().writeInt32(0).writeInt16(0), e().writeInt32(1).writeInt16(3)])];
  for (const version of [0, 1, 2]) await write('offsetCommit', `v${version}-response`, e().writeArray(responseTopics()));
  for (const version of [3, 4, 5, 6, 7]) await write('offsetCommit', `v${version}-response`, e().writeInt32(0).writeArray(responseTopics()));
}

async function offsetFetch() {
  const topics = [{ topic: 't1', partitions: [{ partition: 0 }, { partition: 1 }] }];
  await write('offsetFetch', 'v1-request', req('offsetFetch', 1)({ groupId: 'g1', topics }));
  await write('offsetFetch', 'v2-request', req('offsetFetch', 2)({ groupId: 'g1', topics }));
  await write('offsetFetch', 'v3-request', req('offsetFetch', 3)({ groupId: 'g1', topics }));
  // Null topics (every committed partition); kafkajs's encoder cannot express it.
  await write('offsetFetch', 'v4-request', e().writeString('g1').writeInt32(-1));
  await write('offsetFetch', 'v5-request', e().writeString('g1').writeArray([e().writeString('t1').writeArray([e().writeInt32(0), e().writeInt32(1)])]));
  const partitions = (epoch) => [
    epoch ? e().writeInt32(0).writeInt64('42').writeInt32(-1).writeString('meta').writeInt16(0) : e().writeInt32(0).writeInt64('42').writeString('meta').writeInt16(0),
    epoch ? e().writeInt32(1).writeInt64('-1').writeInt32(-1).writeString('').writeInt16(0) : e().writeInt32(1).writeInt64('-1').writeString('').writeInt16(0),
  ];
  const responseTopics = (epoch) => [e().writeString('t1').writeArray(partitions(epoch))];
  await write('offsetFetch', 'v1-response', e().writeArray(responseTopics(false)));
  await write('offsetFetch', 'v2-response', e().writeArray(responseTopics(false)).writeInt16(0));
  await write('offsetFetch', 'v3-response', e().writeInt32(0).writeArray(responseTopics(false)).writeInt16(0));
  await write('offsetFetch', 'v4-response', e().writeInt32(0).writeArray(responseTopics(false)).writeInt16(0));
  await write('offsetFetch', 'v5-response', e().writeInt32(0).writeArray(responseTopics(true)).writeInt16(0));
}

async function describeGroups() {
  for (const version of [0, 1, 2]) await write('describeGroups', `v${version}-request`, req('describeGroups', version)({ groupIds: ['g1', 'g2'] }));
  await write('describeGroups', 'v3-request', e().writeArray(['g1', 'g2']).writeBoolean(true));
  await write('describeGroups', 'v4-request', e().writeArray(['g1', 'g2']).writeBoolean(false));
  const groups = (version) => {
    const member = e().writeString('client-abc');
    if (version >= 4) member.writeString(null);
    member.writeString('client').writeString('/127.0.0.1').writeBytes(Buffer.from([0, 1])).writeBytes(Buffer.from([2, 3]));
    const g1 = e().writeInt16(0).writeString('g1').writeString('Stable').writeString('consumer').writeString('RoundRobinAssigner').writeArray([member]);
    const g2 = e().writeInt16(0).writeString('g2').writeString('Dead').writeString('').writeString('').writeArray([]);
    if (version >= 3) {
      g1.writeInt32(version === 3 ? 328 : -2147483648);
      g2.writeInt32(version === 3 ? 328 : -2147483648);
    }
    return [g1, g2];
  };
  await write('describeGroups', 'v0-response', e().writeArray(groups(0)));
  for (const version of [1, 2, 3, 4]) await write('describeGroups', `v${version}-response`, e().writeInt32(0).writeArray(groups(version)));
}

async function listGroups() {
  for (const version of [0, 1, 2]) await write('listGroups', `v${version}-request`, req('listGroups', version)());
  const groups = () => [e().writeString('g1').writeString('consumer'), e().writeString('g2').writeString('')];
  await write('listGroups', 'v0-response', e().writeInt16(0).writeArray(groups()));
  await write('listGroups', 'v1-response', e().writeInt32(0).writeInt16(0).writeArray(groups()));
  await write('listGroups', 'v2-response', e().writeInt32(0).writeInt16(0).writeArray(groups()));
}

(async () => {
  await findCoordinator();
  await joinGroup();
  await syncGroup();
  await heartbeat();
  await leaveGroup();
  await offsetCommit();
  await offsetFetch();
  await describeGroups();
  await listGroups();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
