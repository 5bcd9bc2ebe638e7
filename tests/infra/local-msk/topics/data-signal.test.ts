import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataSignal } from '../../../../infra/local-msk/topics/data-signal.js';

/** Settles `promise` far enough to tell whether it has resolved yet. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  return settled;
}

describe('DataSignal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes a waiter on an append to one of its partitions only', async () => {
    // Prepare
    const signal = new DataSignal();
    const [orders0, orders1, other] = [{ name: 'orders-0' }, { name: 'orders-1' }, { name: 'other-0' }];
    const waiting = signal.wait([orders0, orders1], 500);

    // Act
    signal.notify(other);
    const afterOther = await isSettled(waiting);
    signal.notify(orders1);

    // Assess
    expect(afterOther).toBe(false);
    expect(await isSettled(waiting)).toBe(true);
  });

  it('counts the bytes appended per partition, whether or not anyone waits', () => {
    // Prepare
    const signal = new DataSignal();
    const [orders0, orders1] = [{ name: 'orders-0' }, { name: 'orders-1' }];

    // Act
    signal.notify(orders0, 300);
    signal.notify(orders0, 200);
    signal.notify(orders1);

    // Assess
    expect(signal.appendedBytes(orders0)).toBe(500);
    expect(signal.appendedBytes(orders1)).toBe(0);
    expect(signal.appendedBytes({ name: 'never' })).toBe(0);
  });

  it('resolves at the timeout when nothing is appended, and forgets the waiter', async () => {
    // Prepare
    const signal = new DataSignal();
    const partition = { name: 'orders-0' };
    const waiting = signal.wait([partition], 500);

    // Act
    vi.advanceTimersByTime(499);
    const early = await isSettled(waiting);
    vi.advanceTimersByTime(1);

    // Assess
    expect(early).toBe(false);
    expect(await isSettled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    signal.notify(partition); // nobody left to wake: no error
  });

  it('wakes every waiter of a partition once, and a later wait needs a later append', async () => {
    // Prepare
    const signal = new DataSignal();
    const partition = { name: 'orders-0' };
    const first = signal.wait([partition], 500);
    const second = signal.wait([partition, { name: 'orders-1' }], 500);

    // Act
    signal.notify(partition);
    const third = signal.wait([partition], 500);

    // Assess
    expect(await isSettled(first)).toBe(true);
    expect(await isSettled(second)).toBe(true);
    expect(await isSettled(third)).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
  });
});
