/**
 * A failure of the Invoke call itself, not of the function: the Lambda API could not be reached
 * (connection refused or reset, DNS, timeout), throttled the call (HTTP 429) or failed (HTTP 5xx).
 * An `invoke` throws it (or an error carrying `invokeServiceFailure: true`, which survives bundling)
 * for such failures; the mapping retries them with backoff without using up maximumRetryAttempts.
 * Any other rejection of `invoke` is a function error.
 */
export class InvokeServiceError extends Error {
  override readonly name = 'InvokeServiceError';
  readonly invokeServiceFailure = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isInvokeServiceFailure(error: unknown): boolean {
  return error instanceof InvokeServiceError || (typeof error === 'object' && error !== null && (error as { invokeServiceFailure?: unknown }).invokeServiceFailure === true);
}

/** Node and undici network error codes that mean the API was not reached (or dropped the call). */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
/** How deep the cause chain is searched (SDK errors wrap one or two levels). */
const maxCauseDepth = 5;

/**
 * For a rejection of a Lambda Invoke API call (the AWS SDK's error, or one wrapping it as `cause`):
 * an InvokeServiceError when the call never reached the function — HTTP 429, HTTP 5xx, a network
 * error code or the SDK's TimeoutError — else null (the function failed, or the API refused the
 * call for good, e.g. 404 ResourceNotFound or 413 RequestTooLarge: those count as failed
 * invocations). An error that carries the function's own error (`functionError`) is never one.
 */
export function invokeServiceFailureOf(error: unknown): InvokeServiceError | null {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth && typeof current === 'object' && current !== null; depth++) {
    const fields = current as { functionError?: unknown; $metadata?: { httpStatusCode?: unknown }; code?: unknown; name?: unknown; cause?: unknown };
    if (typeof fields.functionError === 'string') return null;
    const status = fields.$metadata?.httpStatusCode;
    const transient = (typeof status === 'number' && (status === 429 || status >= 500)) || (typeof fields.code === 'string' && networkCodes.has(fields.code)) || fields.name === 'TimeoutError';
    if (transient) {
      const message = error instanceof Error ? error.message : String(error);
      return new InvokeServiceError(`the Invoke API call failed: ${message}`, { cause: error });
    }
    current = fields.cause;
  }
  return null;
}

/**
 * Wraps a Lambda Invoke API caller (infra/lambda/invoke-lambda.ts) so that the rejections
 * invokeServiceFailureOf recognises become InvokeServiceError; every other rejection passes as it is.
 */
export function withInvokeServiceFailures<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) =>
    call(...args).catch((error: unknown) => {
      throw invokeServiceFailureOf(error) ?? error;
    });
}
