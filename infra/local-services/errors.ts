/** Base class of the errors the local services launcher raises on purpose (message is for people). */
export class LocalServicesError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad command-line flag or option value; the CLI exits with status 2. */
export class LocalServicesUsageError extends LocalServicesError {}

/** A port one of the services needs is taken by another process. */
export class PortInUseError extends LocalServicesError {
  constructor(
    readonly service: string,
    readonly host: string,
    readonly port: number,
    flag: string,
    hint = '',
  ) {
    super(`${service} port ${port} on ${host} is already in use; stop whatever listens there or choose another port with ${flag} <port> (0 = any free port)${hint}`);
  }
}
