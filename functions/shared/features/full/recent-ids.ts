/**
 * The ids of the last `capacity` records learned, so a redelivered record (same id) is measured
 * but not learned twice. FIFO: the oldest id is forgotten first. O(1) per id.
 */
export class RecentIds {
  private readonly ring: Array<string | undefined>;
  private readonly members = new Set<string>();
  private next = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  /** Remembers `id`; false when it was already remembered. */
  add(id: string): boolean {
    if (this.members.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.members.delete(evicted);
    this.ring[this.next] = id;
    this.members.add(id);
    this.next = (this.next + 1) % this.capacity;
    return true;
  }
}
