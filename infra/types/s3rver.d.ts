/** Minimal typing for the parts of s3rver (an S3 emulator, CommonJS, untyped) that the local services and the tests use. */
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts listening; resolves to the bound address. */
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    reset(): void;
    /** Emits 'event' with an S3 event notification after each object write or delete. */
    on(event: 'event', listener: (notification: any) => void): this;
  }

  export default S3rver;
}
