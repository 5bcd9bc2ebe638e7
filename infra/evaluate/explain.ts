import type { RecordScore } from '../../functions/shared/model/record-scoring.js';
import type { Labels } from './labels.js';

/** Longest number of lines `--explain` lists. */
export const MAX_EXPLAIN = 1000;
/** Characters of a line's text (and of its template) an explanation shows. */
export const EXPLAIN_TEXT_CHARS = 160;

/** Why one flagged line was flagged: what the model saw in it and what the line said. */
export interface ExplainedLine {
  /** Line number in the input file, from 1. */
  readonly line: number;
  /** The label: the anomaly kind where the labels name one, else "1" (anomalous) or "0" (normal). */
  readonly label: string;
  readonly score: number;
  readonly threshold: number;
  /** The template the feature set's miner gave the message (null without a miner, or for in-sample training rows). */
  readonly templateId: number | null;
  /** The template's text, cut like `text`. */
  readonly template: string | null;
  /** The features that contributed most to the score, largest first, with the line's value of each. */
  readonly reasons: ReadonlyArray<{ readonly feature: string; readonly value: number; readonly contribution: number }>;
  /** The line as read, cut to EXPLAIN_TEXT_CHARS characters (raw: print it through terminalSafe). */
  readonly text: string;
}

interface Candidate {
  readonly index: number;
  readonly score: RecordScore;
  readonly template: string | null;
}

/**
 * Keeps the `top` highest-scoring flagged lines seen (ties: earlier line first) without holding
 * every flagged line: the buffer is cut back to `top` whenever it reaches twice that.
 */
export class TopFlagged {
  private candidates: Candidate[] = [];
  /** Score of the last kept candidate after the latest cut; lower scores can never make the list. */
  private floor = Number.NEGATIVE_INFINITY;
  /** Flagged lines offered. */
  flagged = 0;

  constructor(private readonly top: number) {
    if (!Number.isInteger(top) || top < 1 || top > MAX_EXPLAIN) throw new RangeError(`explain count must be a whole number from 1 to ${MAX_EXPLAIN}, got ${String(top)}`);
  }

  /** Offers line `index` (0-based) with its verdict (again when it is revised); `templateOf` is asked only when the line may be kept. */
  offer(index: number, score: RecordScore, templateOf: (id: number) => string | undefined): void {
    if (!score.isAnomaly) return;
    this.flagged++;
    if (score.score < this.floor) return;
    this.candidates.push({ index, score, template: score.templateId === null ? null : (templateOf(score.templateId) ?? null) });
    if (this.candidates.length >= 2 * this.top) this.cut();
  }

  /** The kept lines, highest score first. */
  ranked(): readonly Candidate[] {
    this.cut();
    return this.candidates;
  }

  private cut(): void {
    this.candidates.sort((a, b) => b.score.score - a.score.score || a.index - b.index);
    // A line revised by the lines after it (a late verdict) may be offered again: its best stands.
    const kept = new Set<number>();
    this.candidates = this.candidates.filter(({ index }) => !kept.has(index) && kept.add(index) !== undefined);
    if (this.candidates.length >= this.top) {
      this.candidates.length = this.top;
      this.floor = (this.candidates[this.top - 1] as Candidate).score.score;
    }
  }
}

/** The explanations of `top`'s lines, with their labels and (cut) text. */
export function explainLines(top: TopFlagged, labels: Labels, lineText: (index: number) => string): ExplainedLine[] {
  return top.ranked().map(({ index, score, template }) => ({
    line: index + 1,
    label: labels.kinds[index] ?? (labels.anomalous[index] === true ? '1' : '0'),
    score: score.score,
    threshold: score.threshold,
    templateId: score.templateId,
    template: template === null ? null : cut(template, EXPLAIN_TEXT_CHARS),
    reasons: Object.entries(score.contributions).map(([feature, contribution]) => ({ feature, value: score.features[feature] ?? Number.NaN, contribution })),
    text: cut(lineText(index), EXPLAIN_TEXT_CHARS),
  }));
}

/** `text` cut to at most `max` characters, ending in … when cut (never splitting a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
