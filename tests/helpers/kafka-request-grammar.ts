import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The request grammar of one API version, read from the Kafka BNF comment that heads its
 * `infra/local-msk/protocol/requests/<api>/v<N>/request.ts`, e.g.
 *
 *   // Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   //   group_id => STRING
 *   //   generation_id => INT32
 *   //   member_id => STRING
 *
 * Fuzz tests build requests from it, so they follow every version the broker registers
 * without a hand-written copy of each grammar; a test checks that each parsed grammar
 * matches what the version's decoder reads.
 */

export type GrammarPrimitive =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'NULLABLE_STRING'
  | 'BYTES'
  | 'RECORDS'
  | 'COMPACT_BYTES'
  /** A flexible version's tagged-field section; it appears in the grammar without a definition. */
  | 'TAG_BUFFER';

export type GrammarType =
  | { kind: 'primitive'; primitive: GrammarPrimitive }
  | { kind: 'struct'; fields: GrammarField[] }
  | { kind: 'array'; element: GrammarType };

export interface GrammarField {
  name: string;
  type: GrammarType;
}

const primitives = new Set<string>(['INT8', 'INT16', 'INT32', 'INT64', 'BOOLEAN', 'STRING', 'NULLABLE_STRING', 'BYTES', 'RECORDS', 'COMPACT_BYTES']);
const requestsDir = fileURLToPath(new URL('../../infra/local-msk/protocol/requests/', import.meta.url));

/** A definition line `name => rhs` and the definitions indented below it. */
interface Definition {
  name: string;
  rhs: string;
  indent: number;
  children: Definition[];
}

/** The fields of the request body of `apiName` (as in api-keys.ts) at `version`, in wire order. */
export function requestGrammar(apiName: string, version: number): GrammarField[] {
  const file = `${requestsDir}${apiName[0]!.toLowerCase()}${apiName.slice(1)}/v${version}/request.ts`;
  const comment = leadingComment(readFileSync(file, 'utf8'));
  const header = /^ (\w+) Request \(Version: (\d+)\) =>(.*)$/.exec(comment[0] ?? '');
  if (!header || header[1] !== apiName || Number(header[2]) !== version) {
    throw new Error(`${file} does not start with "// ${apiName} Request (Version: ${version}) =>"`);
  }
  const sameAs = comment.map((line) => /\(same grammar as version (\d+)/.exec(line)).find(Boolean);
  if (sameAs) return requestGrammar(apiName, Number(sameAs[1]));

  const root: Definition = { name: apiName, rhs: header[3]!, indent: 0, children: [] };
  const open: Definition[] = [root];
  for (const line of comment.slice(1)) {
    const definition = /^( +)(\w+) => (.+?)(?:\s{2,}\(.*)?$/.exec(line);
    if (!definition) continue; // prose notes
    const entry: Definition = { name: definition[2]!, rhs: definition[3]!, indent: definition[1]!.length, children: [] };
    while (open.length > 1 && open[open.length - 1]!.indent >= entry.indent) open.pop();
    open[open.length - 1]!.children.push(entry);
    open.push(entry);
  }
  const fields = fieldsOf(root, file);
  // A flexible version's arrays are COMPACT_ARRAYs (unsigned varint count + 1), which the fuzz
  // helpers do not build yet: refuse rather than fuzz such a version with the wrong encoding.
  if (fields.some((field) => field.type.kind === 'primitive' && field.type.primitive === 'TAG_BUFFER') && JSON.stringify(fields).includes('"kind":"array"')) {
    throw new Error(`${file}: arrays in a flexible version (compact arrays) are not supported by the grammar helpers yet`);
  }
  return fields;
}

function fieldsOf(definition: Definition, file: string): GrammarField[] {
  return definition.rhs
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const isArray = token.startsWith('[') && token.endsWith(']');
      const name = isArray ? token.slice(1, -1) : token;
      if (name === 'TAG_BUFFER' && !isArray) return { name, type: { kind: 'primitive', primitive: 'TAG_BUFFER' } };
      const child = definition.children.find((candidate) => candidate.name === name);
      if (!child) throw new Error(`${file}: "${definition.name}" uses "${name}", which the grammar does not define`);
      const type: GrammarType = primitives.has(child.rhs)
        ? { kind: 'primitive', primitive: child.rhs as GrammarPrimitive }
        : { kind: 'struct', fields: fieldsOf(child, file) };
      return { name, type: isArray ? { kind: 'array', element: type } : type };
    });
}

/** The `//` lines at the top of a source file, without the slashes. */
function leadingComment(source: string): string[] {
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.slice(2));
  }
  return lines;
}
