import { describe, expect, it } from 'vitest';
import { ProducerStateTable, lastSequenceOf } from '../../../../infra/local-msk/producers/producer-state.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';

const batch = (baseSequence: number, records = 10, producerEpoch = 0, producerId = 7) => ({
  producerId,
  producerEpoch,
  baseSequence,
  lastOffsetDelta: records - 1,
});

/** Appends batches as the Produce handler does: check, then record at the next offset. */
function appendAll(table: ProducerStateTable, batches: ReturnType<typeof batch>[], firstOffset = 0): number {
  let offset = firstOffset;
  for (const b of batches) {
    expect(table.check('t', 0, b)).toEqual({ kind: 'append' });
    table.recordAppend('t', 0, b, offset);
    offset += b.lastOffsetDelta + 1;
  }
  return offset;
}

describe('ProducerStateTable', () => {
  it('accepts consecutive sequences', () => {
    // Prepare
    const table = new ProducerStateTable();
    // Act
    appendAll(table, [batch(0), batch(10), batch(20)]);
    // Assess
    expect(table.check('t', 0, batch(30))).toEqual({ kind: 'append' });
  });

  it('answers a retry of any of the last five batches with its original offset', () => {
    // Prepare
    const table = new ProducerStateTable();
    appendAll(table, [0, 10, 20, 30, 40, 50].map((s) => batch(s)), 100);
    // Act
    const retries = [10, 20, 30, 40, 50].map((s) => table.check('t', 0, batch(s)));
    const tooOld = table.check('t', 0, batch(0));
    // Assess
    expect(retries).toMatchObject([110, 120, 130, 140, 150].map((baseOffset) => ({ kind: 'duplicate', baseOffset })));
    expect(tooOld).toMatchObject({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('hands a retry the original append to wait for, and forgets an append that failed so its retry is appended again', async () => {
    // Prepare: sequence 0 stored, sequence 10 whose write fails
    const table = new ProducerStateTable();
    let failWrite!: (error: Error) => void;
    const failing = new Promise<number>((_resolve, reject) => (failWrite = reject));
    table.recordAppend('t', 0, batch(0), 100, Promise.resolve(100));
    table.recordAppend('t', 0, batch(10), 110, failing);
    const retryWhileInFlight = table.check('t', 0, batch(10));

    // Act
    failWrite(new Error('disk full'));
    await failing.catch(() => undefined);
    const retryAfterFailure = table.check('t', 0, batch(10));

    // Assess
    expect(retryWhileInFlight).toMatchObject({ kind: 'duplicate', baseOffset: 110 });
    await expect((retryWhileInFlight as { stored: Promise<unknown> }).stored).rejects.toThrow('disk full');
    expect(retryAfterFailure).toEqual({ kind: 'append' });
  });

  it('rejects a gap with OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
    // Prepare
    const table = new ProducerStateTable();
    appendAll(table, [batch(0)]);
    // Act
    const verdict = table.check('t', 0, batch(11));
    // Assess
    expect(verdict).toMatchObject({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect((verdict as { message: string }).message).toContain('expected 10');
  });

  it('rejects an older epoch with INVALID_PRODUCER_EPOCH and restarts sequences on a newer one', () => {
    // Prepare
    const table = new ProducerStateTable();
    appendAll(table, [batch(0, 10, 2)]);
    // Act
    const older = table.check('t', 0, batch(10, 10, 1));
    const newerFromZero = table.check('t', 0, batch(0, 10, 3));
    const newerNotFromZero = table.check('t', 0, batch(10, 10, 3));
    // Assess
    expect(older).toMatchObject({ kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(newerFromZero).toEqual({ kind: 'append' });
    expect(newerNotFromZero).toMatchObject({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('keeps producers and partitions apart, and accepts any first sequence for a producer it does not know', () => {
    // Prepare
    const table = new ProducerStateTable();
    appendAll(table, [batch(0)]);
    // Act
    const otherPartition = table.check('t', 1, batch(500));
    const otherProducer = table.check('t', 0, batch(500, 10, 0, 8));
    const otherTopic = table.check('u', 0, batch(500));
    // Assess
    expect([otherPartition, otherProducer, otherTopic]).toEqual([{ kind: 'append' }, { kind: 'append' }, { kind: 'append' }]);
  });

  it('wraps sequences from 2^31-1 to 0', () => {
    // Prepare
    const table = new ProducerStateTable();
    const last = 2 ** 31 - 5;
    appendAll(table, [batch(last, 5)]);
    // Act
    const verdict = table.check('t', 0, batch(1));
    // Assess
    expect(lastSequenceOf(batch(last, 5))).toBe(2 ** 31 - 1);
    expect(table.check('t', 0, batch(0))).toEqual({ kind: 'append' });
    expect(verdict).toMatchObject({ kind: 'reject' });
  });

  it('rejects an idempotent batch without a sequence as INVALID_RECORD', () => {
    expect(new ProducerStateTable().check('t', 0, batch(-1))).toMatchObject({ kind: 'reject', errorCode: ErrorCode.INVALID_RECORD });
  });

  it('judges against restored stored batches as against appended ones, including a wrapped last batch', async () => {
    // Prepare: what a partition log stored before a restart
    const table = new ProducerStateTable();
    table.restore('t', 0, [
      { producerId: 7, producerEpoch: 2, firstSequence: 10, lastSequence: 19, baseOffset: 300 },
      { producerId: 7, producerEpoch: 2, firstSequence: 20, lastSequence: 29, baseOffset: 310 },
      { producerId: 9, producerEpoch: 0, firstSequence: 2 ** 31 - 2, lastSequence: 1, baseOffset: 500 },
    ]);
    // Act
    const retry = table.check('t', 0, batch(20, 10, 2));
    const next = table.check('t', 0, batch(30, 10, 2));
    const gap = table.check('t', 0, batch(40, 10, 2));
    const otherPartition = table.check('t', 1, batch(40, 10, 2));
    const afterWrap = table.check('t', 0, batch(2, 1, 0, 9));
    // Assess
    expect(retry).toMatchObject({ kind: 'duplicate', baseOffset: 310 });
    await expect((retry as { stored: Promise<unknown> }).stored).resolves.toBeUndefined();
    expect(next).toEqual({ kind: 'append' });
    expect(gap).toMatchObject({ kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(otherPartition).toEqual({ kind: 'append' });
    expect(afterWrap).toEqual({ kind: 'append' });
  });

  it("forgets a deleted topic's producer state and keeps other topics'", () => {
    // Prepare
    const table = new ProducerStateTable();
    table.recordAppend('gone', 0, batch(0), 0);
    table.recordAppend('gone', 3, batch(0), 0);
    table.recordAppend('kept', 0, batch(0), 0);
    // Act
    table.forgetTopic('gone');
    // Assess: a recreated topic accepts the producer from any sequence, the kept topic still judges
    expect(table.check('gone', 0, batch(50))).toEqual({ kind: 'append' });
    expect(table.check('kept', 0, batch(50))).toMatchObject({ kind: 'reject' });
    expect(table.size).toBe(1);
  });
});
