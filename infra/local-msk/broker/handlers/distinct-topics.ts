/**
 * Answers each distinct topic name of an admin request once, in request order. A name that
 * appears more than once is answered by `duplicate` and not acted on, as Kafka does.
 */
export async function perDistinctTopic<T extends { name: string }, R>(
  topics: readonly T[],
  duplicate: (name: string) => R,
  handleOne: (topic: T) => Promise<R>,
): Promise<R[]> {
  const counts = new Map<string, number>();
  for (const topic of topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1);
  const results: R[] = [];
  const answered = new Set<string>();
  for (const topic of topics) {
    if (answered.has(topic.name)) continue;
    answered.add(topic.name);
    results.push(counts.get(topic.name)! > 1 ? duplicate(topic.name) : await handleOne(topic));
  }
  return results;
}

export function duplicateTopicMessage(name: string): string {
  return `topic ${name} appears more than once in the request`;
}
