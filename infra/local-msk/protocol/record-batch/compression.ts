import { gunzip, gzipSync } from 'node:zlib';
import { KafkaProtocolError } from '../../errors.js';
import { ErrorCode } from '../error-codes.js';
import { CompressionCodec } from './header.js';

/**
 * Upper bound on a batch's decompressed records section, in bytes. A producer's batch is
 * at most max.message.bytes compressed; this caps what a zip bomb can make us allocate.
 */
export const defaultMaxDecompressedBytes = 64 * 1024 * 1024;

const codecNames = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function codecName(codec: number): string {
  return codecNames[codec] ?? `unknown(${codec})`;
}

/** Throws UNSUPPORTED_COMPRESSION_TYPE for snappy/lz4/zstd and INVALID_RECORD for codecs 5-7. */
export function assertSupportedCodec(codec: number): void {
  if (codec === CompressionCodec.none || codec === CompressionCodec.gzip) return;
  if (codec <= CompressionCodec.zstd) {
    throw new KafkaProtocolError(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      `compression ${codecName(codec)} is not supported by the local MSK; use none or gzip`,
    );
  }
  throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `record batch uses unknown compression codec ${codec}`);
}

function gunzipBounded(data: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(data, { maxOutputLength: maxBytes }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * The decompressed records section of a batch (gzip), or `data` itself for codec none.
 * Throws KafkaProtocolError: INVALID_RECORD when the output would exceed `maxBytes`,
 * CORRUPT_MESSAGE when the data is not valid gzip, and see assertSupportedCodec.
 */
export async function decompressRecords(codec: number, data: Buffer, maxBytes = defaultMaxDecompressedBytes): Promise<Buffer> {
  assertSupportedCodec(codec);
  if (codec === CompressionCodec.none) return data;
  try {
    return await gunzipBounded(data, maxBytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, `gzip records decompress to more than ${maxBytes} bytes`);
    }
    throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `gzip records cannot be decompressed: ${(error as Error).message}`);
  }
}

/** Compresses a records section (encoder side: tests and the benchmark). */
export function compressRecords(codec: number, data: Buffer): Buffer {
  if (codec === CompressionCodec.none) return data;
  if (codec === CompressionCodec.gzip) return gzipSync(data);
  throw new RangeError(`cannot compress with ${codecName(codec)}`);
}
