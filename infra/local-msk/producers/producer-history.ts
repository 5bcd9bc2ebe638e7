/**
 * The newest stored batches of every idempotent producer in one partition's log: what a
 * restarted broker needs to recognise a retried batch (producer-state.ts judges with it).
 *
 * The file log keeps one per partition, fed with each batch once it is durable; it writes a
 * snapshot of it when a segment rolls (`<base>.snapshot`, the state as of offset `<base>`) and
 * rebuilds it at open from the active segment's snapshot plus that segment's batches, as
 * Kafka's producer-state snapshots do. Batches without a producer id (-1) are not kept.
 */
import { rememberedBatchesPerPartition } from './producer-state.js';

/** One stored batch of an idempotent producer. Sequences are int32 and wrap to 0. */
export interface StoredProducerBatch {
  producerId: number;
  producerEpoch: number;
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

/** Version tag of the snapshot text, so a later format is never misread. */
const snapshotVersion = 1;

export class ProducerHistory {
  /** producerId -> newest batches of its newest epoch, oldest first (at most rememberedBatchesPerPartition). */
  private readonly byProducer = new Map<number, StoredProducerBatch[]>();

  /** Records a stored batch; a newer epoch replaces what the producer had. */
  observe(batch: StoredProducerBatch): void {
    if (batch.producerId < 0) return;
    let batches = this.byProducer.get(batch.producerId);
    const epoch = batches?.[0]?.producerEpoch ?? -1;
    // The broker refuses an older epoch, so a stored batch never has one; keep the newer state.
    if (batches && batch.producerEpoch < epoch) return;
    if (!batches || batch.producerEpoch > epoch) {
      batches = [];
      this.byProducer.set(batch.producerId, batches);
    }
    batches.push({ ...batch });
    if (batches.length > rememberedBatchesPerPartition) batches.shift();
  }

  /** Every remembered batch, each producer's oldest first. */
  batches(): StoredProducerBatch[] {
    return [...this.byProducer.values()].flat().map((batch) => ({ ...batch }));
  }

  get producerCount(): number {
    return this.byProducer.size;
  }

  /** The snapshot file's text (one JSON document). */
  toSnapshotText(): string {
    return JSON.stringify({ version: snapshotVersion, batches: this.batches() }) + '\n';
  }

  /** Parses a snapshot; throws RangeError when the text is not one this version wrote. */
  static fromSnapshotText(text: string): ProducerHistory {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new RangeError('producer snapshot is not an object');
    const { version, batches } = parsed as { version?: unknown; batches?: unknown };
    if (version !== snapshotVersion || !Array.isArray(batches)) throw new RangeError(`producer snapshot version ${String(version)} is not ${snapshotVersion}`);
    const history = new ProducerHistory();
    for (const batch of batches) history.observe(checkedBatch(batch));
    return history;
  }
}

function checkedBatch(value: unknown): StoredProducerBatch {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const fields = ['producerId', 'producerEpoch', 'firstSequence', 'lastSequence', 'baseOffset'] as const;
  for (const field of fields) {
    if (!Number.isSafeInteger(v[field])) throw new RangeError(`producer snapshot entry has no integer ${field}`);
  }
  return {
    producerId: v['producerId'] as number,
    producerEpoch: v['producerEpoch'] as number,
    firstSequence: v['firstSequence'] as number,
    lastSequence: v['lastSequence'] as number,
    baseOffset: v['baseOffset'] as number,
  };
}
