import { describe, expect, it } from 'vitest';
import { Group } from '../../../../infra/local-msk/groups/group.js';
import { canTransition } from '../../../../infra/local-msk/groups/group-state.js';

describe('group state machine', () => {
  it('allows exactly the classic protocol transitions', () => {
    // Assess
    expect(canTransition('Empty', 'PreparingRebalance')).toBe(true);
    expect(canTransition('PreparingRebalance', 'CompletingRebalance')).toBe(true);
    expect(canTransition('PreparingRebalance', 'Empty')).toBe(true);
    expect(canTransition('CompletingRebalance', 'Stable')).toBe(true);
    expect(canTransition('CompletingRebalance', 'PreparingRebalance')).toBe(true);
    expect(canTransition('Stable', 'PreparingRebalance')).toBe(true);
    expect(canTransition('Empty', 'Dead')).toBe(true);
    expect(canTransition('Empty', 'Stable')).toBe(false);
    expect(canTransition('Stable', 'CompletingRebalance')).toBe(false);
    expect(canTransition('Dead', 'Empty')).toBe(false);
  });

  it('refuses an illegal transition loudly instead of corrupting the group', () => {
    // Prepare
    const group = new Group('g');
    // Act / Assess
    expect(() => group.transitionTo('Stable')).toThrow('group g: illegal transition Empty -> Stable');
    expect(group.state).toBe('Empty');
  });
});
