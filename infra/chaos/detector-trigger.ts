/**
 * The detector's Kafka trigger as serverless.yml declares it (functions.detector.events[0].msk),
 * with the chaos run's own consumer group: batches of up to 2,000 records or 0.5 s, from the
 * beginning of topic `logs`, AWS's default error handling (retries without end, no destination,
 * no record age limit), one poller per partition.
 */
export const chaosConsumerGroup = 'log-anomaly-chaos-detector';
export const logsTopic = 'logs';

export function detectorTrigger(clusterArn: string): { msk: Record<string, unknown> } {
  return {
    msk: {
      arn: clusterArn,
      topic: logsTopic,
      batchSize: 2000,
      maximumBatchingWindow: 0.5,
      startingPosition: 'TRIM_HORIZON',
      consumerGroupId: chaosConsumerGroup,
    },
  };
}
