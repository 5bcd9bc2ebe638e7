/**
 * Log text is attacker-controlled: a line may carry ESC sequences (colours, cursor moves, window
 * titles, OSC 8 links, clipboard writes), C1 controls (U+009B is a one-character CSI) or bidi
 * overrides that reorder what a reader sees. Anything evaluate prints from a log goes through here.
 */

/** C0 controls (tab, CR, LF, ESC …), DEL, C1 controls, line/paragraph separators, bidi marks and overrides. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function hex(char: string, digits: number): string {
  return char.charCodeAt(0).toString(16).padStart(digits, '0');
}

/** `text` with every unsafe character shown as a visible escape (`\x1b`, `\u202e`): safe to write to a terminal. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (char) => (char.charCodeAt(0) < 0x100 ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`));
}

/**
 * `value` as one line of JSON that is also safe on a terminal: JSON.stringify escapes C0 controls
 * but leaves DEL, C1 controls, U+2028/U+2029 and bidi controls raw; they are written as `\uXXXX`
 * (the same JSON value).
 */
export function safeJsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (char) => `\\u${hex(char, 4)}`);
}
