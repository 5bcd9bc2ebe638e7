import { Kafka, Partitioners, logLevel } from 'kafkajs';

/**
 * One benchmark producer in its own process (kafkajs's record encoding is CPU-bound, so one
 * client thread cannot saturate the broker). Started with fork(); gets its input as the first IPC message. Sends `batches` batches of `batchSize` records of
 * `recordBytes` bytes with acks=-1, `inFlight` at a time, and posts the per-batch latencies (ms)
 * and the CPU seconds it used in all (connecting included).
 */
export interface ProduceWorkerInput {
  bootstrap: string;
  topic: string;
  batches: number;
  batchSize: number;
  recordBytes: number;
  inFlight: number;
}

export interface ProduceWorkerResult {
  latencies: number[];
  cpuSeconds: number;
}

const input = await new Promise<ProduceWorkerInput>((resolve) => process.once('message', (message) => resolve(message as ProduceWorkerInput)));
const kafka = new Kafka({ clientId: 'bench-producer', brokers: [input.bootstrap], logLevel: logLevel.NOTHING });
const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const value = Buffer.alloc(input.recordBytes, 'x');
const latencies: number[] = [];
let next = 0;
const loop = async () => {
  while (next < input.batches) {
    const batchIndex = next++;
    const messages = Array.from({ length: input.batchSize }, (_, i) => ({ key: `k${(batchIndex * input.batchSize + i) % 1024}`, value }));
    const started = performance.now();
    await producer.send({ topic: input.topic, acks: -1, messages });
    latencies.push(performance.now() - started);
  }
};
await Promise.all(Array.from({ length: input.inFlight }, loop));
await producer.disconnect();
const usage = process.cpuUsage();
const result: ProduceWorkerResult = { latencies, cpuSeconds: (usage.user + usage.system) / 1e6 };
process.send!(result, () => process.disconnect());
