import type { InvokeLambda } from '../lambda/invoke-lambda.js';

export interface ProducerLoopOptions {
  invoke: InvokeLambda;
  /** Deployed name of the producer function (serverless: <service>-<stage>-producer). */
  functionName: string;
  /** Records per second. */
  rate: number;
  /** Length of one producer invocation, in seconds (the function's timeout is 900 s). */
  invocationSeconds: number;
  onError: (error: unknown) => void;
  /** Pause after a failed invocation before the next, in ms. */
  retryDelayMs?: number;
  /** The producer id its records carry (default npm-start-producer). */
  producerId?: string;
}

/**
 * Keeps one producer running: invokes the producer function for invocationSeconds at `rate`, and
 * again when it returns, until stopped. A failed invocation is reported and retried after a pause.
 */
export function startProducerLoop(options: ProducerLoopOptions): { stop(): Promise<void> } {
  let stopping = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const loop = (async () => {
    while (!stopping) {
      try {
        await options.invoke(options.functionName, { rate: options.rate, durationSeconds: options.invocationSeconds, producerId: options.producerId ?? 'npm-start-producer' });
      } catch (error) {
        if (stopping) return;
        options.onError(error);
        await pause(options.retryDelayMs ?? 5_000);
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake();
      // The invocation in flight ends with the runtime; it is not awaited here.
      await Promise.race([loop, Promise.resolve()]);
    },
  };
}
