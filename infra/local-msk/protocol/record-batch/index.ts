/** RecordBatch v2: header, splitting, validation, decoding and (for tests/bench) encoding. */
export {
  attributeBits,
  batchField,
  batchHeaderBytes,
  batchLengthPrefixBytes,
  CompressionCodec,
  computeBatchCrc,
  hasValidCrc,
  readBatchHeader,
  supportedMagic,
  type RecordBatchHeader,
} from './header.js';
export { splitRecordBatches } from './split.js';
export { validateProducedBatch, type ProduceBatchLimits, type ValidatedBatch } from './validate.js';
export { decodeRecordBatch, walkRecords, type DecodedBatch, type DecodedRecord, type RecordHeader } from './records.js';
export { encodeRecordBatch, encodeRecords, type EncodeBatchOptions, type RecordToEncode } from './encoder.js';
export { assertSupportedCodec, codecName, decompressRecords, defaultMaxDecompressedBytes } from './compression.js';
