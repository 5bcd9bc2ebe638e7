import { createRequire } from 'node:module';
import { ApiKey } from '../../infra/local-msk/protocol/api-keys.js';
import { Writer } from '../../infra/local-msk/protocol/writer.js';
import { RawKafkaClient } from './raw-kafka-client.js';

const require = createRequire(import.meta.url);

export interface CommitOutcome {
  responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[];
}

/**
 * Commits offsets from outside group management (OffsetCommit v2, generation -1, as admin
 * tools do) over a raw connection. The group id is given as bytes so tests can send ids that
 * are not UTF-8; a string is sent as UTF-8.
 */
export async function commitOffsetsRaw(
  bootstrap: string,
  groupId: string | Buffer,
  topic: string,
  offsets: readonly { partition: number; offset: number }[],
): Promise<CommitOutcome> {
  const id = typeof groupId === 'string' ? Buffer.from(groupId, 'utf8') : groupId;
  const body = new Writer()
    .int16(id.length)
    .raw(id)
    .int32(-1) // generation: not a group member
    .string('') // member id
    .int64(-1) // retention: the broker's default
    .array([topic], (writer, name) =>
      writer.string(name).array(offsets, (w, { partition, offset }) => w.int32(partition).int64(offset).nullableString(null)),
    )
    .toBuffer();
  const client = await RawKafkaClient.connect(bootstrap);
  try {
    const response = await client.send(ApiKey.OffsetCommit, 2, body);
    return await require('kafkajs/src/protocol/requests/offsetCommit/v2/response').decode(response);
  } finally {
    await client.close();
  }
}
