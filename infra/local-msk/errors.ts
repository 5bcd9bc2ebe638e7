import type { ErrorCode } from './protocol/error-codes.js';

/** Base class of every error the local MSK raises on purpose. */
export class LocalMskError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request frame whose bytes do not match the grammar of its API version. */
export class MalformedRequestError extends LocalMskError {}

/** A frame whose declared size is negative or above the configured limit. */
export class FrameTooLargeError extends LocalMskError {}

/** An API key or version the broker does not implement. */
export class UnsupportedApiError extends LocalMskError {}

/** A response value the protocol cannot carry (e.g. a string above 32767 bytes); nothing was sent. */
export class ResponseEncodingError extends LocalMskError {}

/** A failure that maps onto a Kafka protocol error code (answered to the client, not fatal). */
export class KafkaProtocolError extends LocalMskError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Stored data that fails its checksum or structure check. */
export class StorageCorruptionError extends LocalMskError {}

/** A configuration value (CLI flag, environment variable, option) that is not acceptable. */
export class ConfigError extends LocalMskError {}
