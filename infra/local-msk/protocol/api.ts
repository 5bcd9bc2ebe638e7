import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * The codec of one version of one API, as seen from the broker: it decodes the
 * client's request body and encodes the broker's response body. `Req`/`Res` are the
 * API's version-independent shapes (a superset of every version's fields); a version's
 * codec reads and writes only the fields its grammar has.
 */
export interface VersionCodec<Req, Res> {
  readonly version: number;
  /**
   * A flexible version (KIP-482): its request header is v2 (a TAG_BUFFER after the client id) and
   * its response header v1 (a TAG_BUFFER after the correlation id); the connection reads and
   * writes those, the codec only the body. (ApiVersions keeps response header v0 in every version.)
   */
  readonly flexible?: boolean;
  /** Decodes the request body (after the request header). Pure; throws MalformedRequestError. */
  decodeRequest(reader: Reader): Req;
  /** Encodes the response body (after the response header). Pure. */
  encodeResponse(writer: Writer, response: Res): void;
}

/** Builds a VersionCodec from a version's `request.ts` / `response.ts` modules. */
export function versionCodec<Req, Res>(
  version: number,
  request: { decode(reader: Reader): Req },
  response: { encode(writer: Writer, response: Res): void },
  options: { flexible?: boolean } = {},
): VersionCodec<Req, Res> {
  return { version, flexible: options.flexible ?? false, decodeRequest: request.decode, encodeResponse: response.encode };
}
