/** Types of bundle-handler.js (plain JavaScript so that osls loads it without a TypeScript loader). */
export declare const alwaysExternal: string[];
/** esbuild's target, e.g. "node22": the Node.js of the Lambda runtime in serverless.yml. */
export declare const bundleTarget: string;

export interface BundleHandlerOptions {
  /** The handler's TypeScript file (absolute). */
  entry: string;
  /** Where the bundle goes (absolute); `<outDir>.inputs.json` is written next to it. */
  outDir: string;
  /** The bundle's base name; default: the entry's ("handler"). */
  name?: string;
  /** Default false. */
  minify?: boolean;
}

export interface BundleHandlerResult {
  /** Absolute path of `<name>.js`. */
  file: string;
  /** Its size in bytes. */
  bytes: number;
  /** True when an up-to-date earlier bundle was kept. */
  reused: boolean;
}

export declare function bundleHandler(options: BundleHandlerOptions): Promise<BundleHandlerResult>;
