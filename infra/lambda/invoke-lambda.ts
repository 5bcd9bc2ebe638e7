import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export interface LambdaInvokerOptions {
  /** Lambda API endpoint: serverless-offline's lambdaPort, LocalStack (http://localhost:4566) or unset for AWS. */
  endpoint?: string;
  region: string;
  /** Local endpoints take any credentials; AWS uses the default provider chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Raised when the function ran and failed (X-Amz-Function-Error), or the API refused the call. */
export class LambdaInvokeError extends Error {
  override readonly name = 'LambdaInvokeError';
  constructor(
    readonly functionName: string,
    message: string,
    readonly functionError: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type InvokeLambda = (functionName: string, payload: unknown) => Promise<unknown>;

/** Response payloads above this are cut in error messages (characters). */
const shownErrorChars = 500;

/**
 * A synchronous (RequestResponse) Lambda Invoke API caller: resolves with the function's parsed
 * result, rejects with LambdaInvokeError when the function failed — the event-source mapping
 * treats that as a failed batch and retries it.
 */
export function createLambdaInvoker(options: LambdaInvokerOptions): { invoke: InvokeLambda; close(): void } {
  const client = new LambdaClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: 1, // the mapping's own retry policy decides about retries
  });
  const invoke: InvokeLambda = async (functionName, payload) => {
    let response;
    try {
      response = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }));
    } catch (error) {
      throw new LambdaInvokeError(functionName, `invoking ${functionName} failed: ${(error as Error).message}`, null, { cause: error });
    }
    const text = response.Payload === undefined ? '' : Buffer.from(response.Payload).toString('utf8');
    if (response.FunctionError !== undefined) {
      throw new LambdaInvokeError(functionName, `${functionName} failed (${response.FunctionError}): ${text.slice(0, shownErrorChars)}`, response.FunctionError);
    }
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  return { invoke, close: () => client.destroy() };
}
