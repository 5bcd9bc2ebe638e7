/**
 * A minimal WebAssembly binary encoder: just enough to emit the forest's scoring kernel as readable,
 * named instructions instead of an opaque byte blob. Spec: WebAssembly Core 1.0, "Binary Format".
 */

/** Opcodes used by the kernel (WebAssembly Core 1.0 §5.4). */
export const Op = Object.freeze({
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Eqz: 0x45,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Add: 0xa0,
});

/** Value types (§5.3.1) and the empty block type. */
export const ValType = Object.freeze({ i32: 0x7f, f64: 0x7c });
export const EMPTY_BLOCK = 0x40;

/** Unsigned LEB128 (§5.2.2). */
export function uleb(value: number): number[] {
  const bytes: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0);
  return bytes;
}

/** Signed LEB128 of a 32-bit integer (§5.2.2), for i32.const immediates. */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** Memory access immediate: log2(alignment) and a constant byte offset. */
export function memarg(alignLog2: number, offset: number): number[] {
  return [...uleb(alignLog2), ...uleb(offset)];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

export interface KernelFunction {
  readonly exportName: string;
  readonly params: readonly number[];
  /** Extra locals, one value type each, numbered after the params. */
  readonly locals: readonly number[];
  /** Instruction bytes, without the final `end`. */
  readonly body: readonly number[];
}

/**
 * A module importing one memory as env.memory (min `minPages` 64 KiB pages) and exporting `fn`
 * (no results). Returns the module's bytes.
 */
export function encodeModule(fn: KernelFunction, minPages: number): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, [1, 0x60, ...uleb(fn.params.length), ...fn.params, 0]);
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minPages)]);
  const functions = section(3, [1, 0]);
  const exports = section(7, [1, ...name(fn.exportName), 0x00, 0]);
  const localGroups = fn.locals.flatMap((type) => [1, type]);
  const body = [...uleb(fn.locals.length), ...localGroups, ...fn.body, Op.end];
  const code = section(10, [1, ...uleb(body.length), ...body]);
  return Uint8Array.from([...header, ...types, ...imports, ...functions, ...exports, ...code]);
}
