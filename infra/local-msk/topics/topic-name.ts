import { KafkaProtocolError } from '../errors.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** Kafka's topic name rule: 1-249 of [a-zA-Z0-9._-], and not "." or "..". Names become directory names, so this is also the path-traversal guard. */
const legalTopicName = /^[a-zA-Z0-9._-]{1,249}$/;

export function validateTopicName(name: string): void {
  if (!legalTopicName.test(name) || name === '.' || name === '..') {
    const shown = name.length > 60 ? `${name.slice(0, 60)}…` : name;
    throw new KafkaProtocolError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `invalid topic name ${JSON.stringify(shown)}: use 1-249 characters of [a-zA-Z0-9._-], not "." or ".."`,
    );
  }
}

export function isValidTopicName(name: string): boolean {
  return legalTopicName.test(name) && name !== '.' && name !== '..';
}
