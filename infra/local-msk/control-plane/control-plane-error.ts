/**
 * An error answered to an MSK API client as AWS does: HTTP status, the error type in the
 * `x-amzn-errortype` header (which @aws-sdk/client-kafka uses to pick the exception class),
 * and a JSON body `{ "message": ..., "invalidParameter": ... }`.
 */
export class ControlPlaneError extends Error {
  constructor(
    readonly status: number,
    /** e.g. "NotFoundException", "BadRequestException". */
    readonly type: string,
    message: string,
    /** The request parameter at fault, when there is one (e.g. "maxResults"). */
    readonly invalidParameter?: string,
  ) {
    super(message);
    this.name = 'ControlPlaneError';
  }

  toJSON(): Record<string, string> {
    return this.invalidParameter === undefined
      ? { message: this.message }
      : { message: this.message, invalidParameter: this.invalidParameter };
  }
}

export const badRequest = (message: string, invalidParameter?: string) =>
  new ControlPlaneError(400, 'BadRequestException', message, invalidParameter);

export const notFound = (message: string, invalidParameter?: string) =>
  new ControlPlaneError(404, 'NotFoundException', message, invalidParameter);

/** Shortens attacker-controlled text before it goes into a message or a log line. */
export function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
