import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_CHARS, TRUNCATED, WILDCARD, tokenize } from '../../../../functions/shared/templates/index.js';

/** The variable-word rule as regular expressions: the reference tokenize's scan must agree with. */
function referenceIsVariable(word: string): boolean {
  return word.length > MAX_TOKEN_CHARS || /\d/.test(word) || /[^\x20-\x7e]/.test(word) || /[/\\]/.test(word) || /@/.test(word);
}

describe('tokenize', () => {
  it('keeps words, turns variables into the wildcard and marks a truncated message', () => {
    // Act
    const tokens = tokenize('user alice@example.com  fetched /var/log/app.log in 35ms from naïve-host ok', 8);

    // Assess
    expect(tokens).toEqual(['user', WILDCARD, 'fetched', WILDCARD, 'in', WILDCARD, 'from', WILDCARD, TRUNCATED]);
  });

  it('agrees with the regular-expression rule for every word of thousands of random messages', () => {
    // Prepare: words over an alphabet of letters, digits, separators, controls, non-ASCII and surrogates
    const alphabet = ['a', 'Z', 'q', '-', '_', '.', ':', '0', '9', '/', '\\', '@', '~', '\u007f', '\u001f', '\t', 'é', '٣', '\uFFFD', '\uD83D\uDE00', '\uD800', '<', '*', '>'];
    let seed = 99;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let m = 0; m < 3000; m++) {
      const words = Array.from({ length: 1 + next(12) }, () => Array.from({ length: 1 + next(next(10) === 0 ? 60 : 8) }, () => alphabet[next(alphabet.length)]).join(''));
      const message = words.join(' ');

      // Act
      const tokens = tokenize(message, 40);

      // Assess
      const expected = message.split(/\s+/).filter((word) => word.length > 0).slice(0, 40).map((word) => (referenceIsVariable(word) ? WILDCARD : word));
      expect(tokens, JSON.stringify(message)).toEqual(expected);
    }
  });
});
