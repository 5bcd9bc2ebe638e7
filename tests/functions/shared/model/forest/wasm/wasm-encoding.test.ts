import { describe, expect, it } from 'vitest';
import { scoreKernelModuleBytes } from '../../../../../../functions/shared/model/forest/wasm/score-kernel.js';
import { sleb, uleb } from '../../../../../../functions/shared/model/forest/wasm/wasm-encoding.js';

describe('wasm encoding', () => {
  it('encodes LEB128 as the WebAssembly spec examples do', () => {
    // Prepare / Act / Assess
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('emits a scoring kernel module that WebAssembly validates', () => {
    // Prepare
    const bytes = scoreKernelModuleBytes();
    // Act
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    const valid = wasm.validate(bytes);
    // Assess
    expect(valid).toBe(true);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  });
});
