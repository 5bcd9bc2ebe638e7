/**
 * States of a classic-protocol consumer group, named as DescribeGroups reports them.
 *
 *   Empty ──join──▶ PreparingRebalance ──all joined / rebalance timeout──▶ CompletingRebalance
 *     ▲                 │    ▲                                                 │        │
 *     └──no members─────┘    └──────join / leave / session expiry──────────────┘        │ leader's SyncGroup
 *                            └──────join / leave / session expiry────── Stable ◀────────┘
 *
 * Dead is terminal: a group that is Empty with no committed offsets and no pending
 * members is marked Dead and forgotten.
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** For each state, the states a group may enter it from. */
const allowedPrevious: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Empty', 'CompletingRebalance', 'Stable'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return allowedPrevious[to].includes(from);
}
