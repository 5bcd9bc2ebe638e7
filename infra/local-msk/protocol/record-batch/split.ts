import { KafkaProtocolError } from '../../errors.js';
import { ErrorCode } from '../error-codes.js';
import { batchField, batchHeaderBytes, batchLengthPrefixBytes, supportedMagic } from './header.js';

/**
 * Splits a Produce `records` blob into its record batches (views into `blob`, no copies).
 * A blob may hold several batches back to back. Throws KafkaProtocolError:
 * - CORRUPT_MESSAGE for framing that cannot be trusted (a batch shorter than its header,
 *   a batchLength reaching past the end of the blob, trailing bytes);
 * - UNSUPPORTED_FOR_MESSAGE_FORMAT for a MessageSet v0/v1 (magic 0 or 1);
 * - INVALID_RECORD for an empty blob or a batch whose magic is another value.
 */
/** Smallest MessageSet v0 entry: offset, size, crc, magic, attributes, null key, null value. */
const legacyMessageMinBytes = 8 + 4 + 4 + 1 + 1 + 4 + 4;

export function splitRecordBatches(blob: Buffer): Buffer[] {
  if (blob.length === 0) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'produce request carries no record batch');
  const batches: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    const left = blob.length - at;
    // The magic byte sits at the same place in the old MessageSet formats, which are shorter:
    // look at it first so that an old format is named as such rather than called corrupt.
    const legacySize = left > batchField.magic ? blob.readInt32BE(at + batchField.batchLength) + batchLengthPrefixBytes : 0;
    if (left > batchField.magic && (left >= batchHeaderBytes || (legacySize >= legacyMessageMinBytes && legacySize <= left))) {
      const magic = blob.readInt8(at + batchField.magic);
      if (magic !== supportedMagic) {
        throw new KafkaProtocolError(
          magic === 0 || magic === 1 ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.INVALID_RECORD,
          `record batch at byte ${at} has magic ${magic}; this broker accepts only record format v2 (magic ${supportedMagic})`,
        );
      }
    }
    if (left < batchHeaderBytes) {
      throw new KafkaProtocolError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch at byte ${at} has ${left} bytes, shorter than the ${batchHeaderBytes}-byte header`,
      );
    }
    const size = blob.readInt32BE(at + batchField.batchLength) + batchLengthPrefixBytes;
    if (size < batchHeaderBytes) {
      throw new KafkaProtocolError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch at byte ${at} declares ${size} bytes, shorter than the ${batchHeaderBytes}-byte header`,
      );
    }
    if (size > left) {
      throw new KafkaProtocolError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch at byte ${at} declares ${size} bytes but only ${left} are left in the request`,
      );
    }
    batches.push(blob.subarray(at, at + size));
    at += size;
  }
  return batches;
}
