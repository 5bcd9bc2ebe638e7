/** What one call did: its value, or the error's class, message and cause message. */
export type Outcome<T> = { returned: T } | { threw: { name: string; message: string; cause: string | undefined } };

/** Runs `call` and captures its outcome, so a fast path and its reference can be compared whole. */
export function outcomeOf<T>(call: () => T): Outcome<T> {
  try {
    return { returned: call() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return { threw: { name: error.constructor.name, message: error.message, cause } };
  }
}

/** Key order of a returned object (toStrictEqual ignores it; zod's output order is part of the contract). */
export function keyOrderOf<T>(outcome: Outcome<T>): string[] | undefined {
  return 'returned' in outcome && typeof outcome.returned === 'object' && outcome.returned !== null ? Object.keys(outcome.returned) : undefined;
}
