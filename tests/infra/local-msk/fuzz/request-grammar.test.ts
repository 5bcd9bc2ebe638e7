import { describe, expect, it } from 'vitest';
import { allHandlers } from '../../../../infra/local-msk/broker/handlers/index.js';
import { Reader } from '../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';
import { requestGrammar, type GrammarField, type GrammarType } from '../../../helpers/kafka-request-grammar.js';

/**
 * The fuzz test builds requests from the grammar comments of the request decoders. This checks
 * that every registered version has one and that it describes exactly what the decoder reads,
 * so fuzzed requests get past decoding unless a field value itself is hostile.
 */

/** A well-formed request: every array holds `count` elements, every string is `text`. */
function encodeNominal(fields: readonly GrammarField[], count: number, text: string): Buffer {
  const writer = new Writer();
  const write = (type: GrammarType): void => {
    switch (type.kind) {
      case 'struct':
        for (const field of type.fields) write(field.type);
        return;
      case 'array':
        writer.int32(count);
        for (let index = 0; index < count; index++) write(type.element);
        return;
      case 'primitive':
        switch (type.primitive) {
          case 'INT8':
          case 'BOOLEAN':
            writer.int8(1);
            return;
          case 'INT16':
            writer.int16(1);
            return;
          case 'INT32':
            writer.int32(1);
            return;
          case 'INT64':
            writer.int64(1);
            return;
          case 'STRING':
          case 'NULLABLE_STRING':
            writer.string(text);
            return;
          case 'BYTES':
          case 'RECORDS':
            writer.bytes(Buffer.from(text));
            return;
          case 'COMPACT_BYTES':
            writer.compactBytes(Buffer.from(text));
            return;
          case 'TAG_BUFFER':
            writer.emptyTaggedFields();
            return;
        }
    }
  };
  write({ kind: 'struct', fields: [...fields] });
  return writer.toBuffer();
}

const versions = allHandlers.flatMap((handler) => handler.codecs.map((codec) => ({ name: handler.name, codec })));

describe('request grammars used by the fuzz test', () => {
  it.each(versions.map(({ name, codec }) => [`${name} v${codec.version}`, name, codec] as const))(
    '%s: the grammar comment describes exactly the bytes the decoder reads',
    (_label, name, codec) => {
      // Prepare
      const grammar = requestGrammar(name, codec.version);
      const requests = [encodeNominal(grammar, 1, 'x'), encodeNominal(grammar, 2, 'two')];

      // Act
      const leftOver = requests.map((bytes) => {
        const reader = new Reader(bytes);
        codec.decodeRequest(reader);
        return reader.remaining();
      });

      // Assess
      expect(leftOver).toEqual([0, 0]);
    },
  );
});
