import { describe, expect, it } from 'vitest';
import { safeJsonLine, terminalSafe } from '../../../infra/evaluate/terminal-text.js';

/** Any character a terminal could act on: C0 (incl. ESC), DEL, C1, line separators, bidi controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it.each([
    ['an ANSI colour and a screen clear', 'ok \u001b[31mred\u001b[0m \u001b[2J', 'ok \\x1b[31mred\\x1b[0m \\x1b[2J'],
    ['an OSC window title ended by BEL', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['a C1 CSI (one character)', 'a\u009b31mb', 'a\\x9b31mb'],
    ['CR, LF, tab, backspace and DEL', 'a\rb\nc\td\be\u007f', 'a\\x0db\\x0ac\\x09d\\x08e\\x7f'],
    ['a right-to-left override and a line separator', 'user\u202Egnp.exe\u2028x', 'user\\u202egnp.exe\\u2028x'],
  ])('shows %s as visible escapes', (_what, text, shown) => {
    // Act
    const safe = terminalSafe(text);

    // Assess
    expect(safe).toBe(shown);
    expect(safe).not.toMatch(CONTROL);
  });

  it('leaves ordinary text, including non-ASCII letters, as it is', () => {
    expect(terminalSafe('Größe ünd 日本語 — fine')).toBe('Größe ünd 日本語 — fine');
  });
});

describe('safeJsonLine', () => {
  it('writes the same JSON value without a raw control character', () => {
    // Prepare
    const value = { text: 'a\u001b[2Jb\u009b\u007f\u2028\u202e\nc', n: 1 };

    // Act
    const line = safeJsonLine(value);

    // Assess
    expect(line).not.toMatch(CONTROL);
    expect(JSON.parse(line)).toEqual(value);
  });
});
