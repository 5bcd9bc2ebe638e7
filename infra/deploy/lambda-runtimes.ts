/**
 * Lambda's Node.js runtimes and their deprecation dates, from AWS's "Lambda runtimes" page
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html; cross-checked with
 * https://endoflife.date/aws-lambda, December 2026). On the deprecation date a runtime stops
 * getting security patches, and Lambda then blocks creating and later updating functions on it.
 * Update this list when AWS adds a runtime or moves a date.
 */
export interface NodeRuntime {
  readonly identifier: string;
  /** The Node.js major version it runs; the bundles' esbuild target is node<major>. */
  readonly nodeMajor: number;
  /** YYYY-MM-DD. */
  readonly deprecation: string;
}

export const nodeRuntimes: readonly NodeRuntime[] = [
  { identifier: 'nodejs24.x', nodeMajor: 24, deprecation: '2028-04-30' },
  { identifier: 'nodejs22.x', nodeMajor: 22, deprecation: '2027-04-30' },
  { identifier: 'nodejs20.x', nodeMajor: 20, deprecation: '2026-04-30' },
  { identifier: 'nodejs18.x', nodeMajor: 18, deprecation: '2025-09-01' },
];

/**
 * Why `identifier` should not be deployed on `today` (null when it may): not a Node.js runtime
 * Lambda lists, or on or past its deprecation date.
 */
export function runtimeProblem(identifier: string, today: Date): string | null {
  const runtime = nodeRuntimes.find((each) => each.identifier === identifier);
  if (runtime === undefined) return `${identifier} is not a Node.js runtime Lambda supports (${nodeRuntimes.map((each) => each.identifier).join(', ')})`;
  if (today.toISOString().slice(0, 10) >= runtime.deprecation) {
    return `${identifier} was deprecated on ${runtime.deprecation}: Lambda blocks creating and then updating functions on it; move to a newer runtime`;
  }
  return null;
}
