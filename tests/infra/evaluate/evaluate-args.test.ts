import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/shared/errors.js';
import { DEFAULT_EXPLAIN, EVALUATE_USAGE, parseEvaluateArgs } from '../../../infra/evaluate/evaluate-args.js';

const pair = ['--input', 'a.log', '--labels', 'a.labels'];

describe('parseEvaluateArgs', () => {
  it('keeps the defaults without the new flags: one data set, in-sample, no explain', () => {
    // Act
    const args = parseEvaluateArgs(pair);

    // Assess
    expect(args).toMatchObject({ help: false, dataSets: [{ input: 'a.log', labels: 'a.labels' }], format: 'synthetic', trainFormat: 'synthetic', features: 'full', thresholdRule: 'anchor', json: false });
    expect(args.trainLines).toBeUndefined();
    expect(args.train).toBeUndefined();
    expect(args.explainTop).toBeUndefined();
  });

  it('pairs repeated --input and --labels in order', () => {
    // Act
    const args = parseEvaluateArgs(['--input', 'a.log', '--input', 'b.log', '--labels', 'a.labels', '--labels', 'b.labels', '--format', 'bgl']);

    // Assess
    expect(args.dataSets).toEqual([
      { input: 'a.log', labels: 'a.labels' },
      { input: 'b.log', labels: 'b.labels' },
    ]);
    expect(args.format).toBe('bgl');
  });

  it('reads --train-lines as a whole number', () => {
    expect(parseEvaluateArgs([...pair, '--train-lines', '500']).trainLines).toBe(500);
    expect(parseEvaluateArgs([...pair, '--train-lines', '2']).trainLines).toBe(2);
  });

  it('reads --train with --train-format defaulting to --format', () => {
    // Act
    const same = parseEvaluateArgs([...pair, '--format', 'bgl', '--train', 't.log']);
    const other = parseEvaluateArgs([...pair, '--format', 'bgl', '--train', 't.log', '--train-format', 'generic']);

    // Assess
    expect(same).toMatchObject({ train: 't.log', trainFormat: 'bgl' });
    expect(other).toMatchObject({ train: 't.log', trainFormat: 'generic', format: 'bgl' });
  });

  it.each([
    [['--explain'], DEFAULT_EXPLAIN],
    [['--explain', '3'], 3],
    [['--explain=4'], 4],
    [['--explain-top', '5'], 5],
    [['--explain', '--explain-top', '6'], 6],
    [['--explain', '--json'], DEFAULT_EXPLAIN],
    [['--explain', '-h'], DEFAULT_EXPLAIN],
  ])('reads %j as explaining %d lines', (flags, top) => {
    expect(parseEvaluateArgs([...pair, ...flags]).explainTop).toBe(top);
  });

  it('does not take the value of another option for the explain count', () => {
    // Act: "7" belongs to --batch-size, "--explain" stays a flag of its own
    const args = parseEvaluateArgs(['--batch-size', '7', '--explain', ...pair]);

    // Assess
    expect(args).toMatchObject({ batchSize: 7, explainTop: DEFAULT_EXPLAIN, dataSets: [{ input: 'a.log', labels: 'a.labels' }] });
  });

  it.each([
    ['--train-lines 0', [...pair, '--train-lines', '0'], /--train-lines must be a whole number from 2 to 1000000, got "0"/],
    ['--train-lines 1', [...pair, '--train-lines', '1'], /--train-lines must be a whole number from 2/],
    ['a negative --train-lines', [...pair, '--train-lines', '-5'], /--train-lines must be a whole number from 2 to 1000000, got "-5"/],
    ['a fractional --train-lines', [...pair, '--train-lines', '2.5'], /--train-lines must be a whole number/],
    ['a non-numeric --train-lines', [...pair, '--train-lines', 'half'], /--train-lines must be a whole number/],
    ['an empty --train-lines', [...pair, '--train-lines', ''], /--train-lines must be a whole number/],
    ['--train with --train-lines', [...pair, '--train', 't.log', '--train-lines', '10'], /--train and --train-lines cannot be combined/],
    ['--train twice', [...pair, '--train', 't.log', '--train', 'u.log'], /--train may be given once/],
    ['an empty --train path', [...pair, '--train', ''], /--train needs a file path/],
    ['--train-format without --train', [...pair, '--train-format', 'bgl'], /--train-format needs --train/],
    ['an unknown --train-format', [...pair, '--train', 't.log', '--train-format', 'xml'], /--train-format must be one of synthetic, bgl, generic/],
    ['--training-window with --train-lines', [...pair, '--train-lines', '10', '--training-window', '5'], /--training-window cannot be combined with --train-lines/],
    ['--training-window with --train', [...pair, '--train', 't.log', '--training-window', '5'], /--training-window cannot be combined with --train/],
    ['--first-training-window with --train-lines', [...pair, '--train-lines', '10', '--first-training-window', '5'], /--first-training-window cannot be combined with --train-lines/],
    ['--first-training-window 1', [...pair, '--first-training-window', '1'], /--first-training-window must be/],
    ['--first-training-window not a number', [...pair, '--first-training-window', 'soon'], /--first-training-window must be/],
    ['more --input than --labels', ['--input', 'a.log', '--input', 'b.log', '--labels', 'a.labels'], /got 2 --input and 1 --labels/],
    ['more --labels than --input', ['--input', 'a.log', '--labels', 'a.labels', '--labels', 'b.labels'], /got 1 --input and 2 --labels/],
    ['no --labels', ['--input', 'a.log'], /--input and --labels are required/],
    ['--explain 0', [...pair, '--explain', '0'], /--explain\/--explain-top must be a whole number from 1 to 1000, got "0"/],
    ['--explain-top 0', [...pair, '--explain-top', '0'], /got "0"/],
    ['a huge --explain-top', [...pair, '--explain-top', '1000000'], /from 1 to 1000, got "1000000"/],
    ['a negative --explain', [...pair, '--explain', '-2'], /from 1 to 1000, got "-2"/],
    ['a non-numeric --explain', [...pair, '--explain', 'lots'], /whole number from 1 to 1000, got "lots"/],
    ['a non-numeric --explain=', [...pair, '--explain=many'], /got "many"/],
    ['a fractional --explain-top', [...pair, '--explain-top', '2.5'], /got "2.5"/],
    ['an unknown flag', [...pair, '--trian', 't.log'], /Unknown option '--trian'/],
  ])('refuses %s with a ConfigError', (_what, argv, message) => {
    // Act
    let error: unknown;
    try {
      parseEvaluateArgs(argv);
    } catch (caught) {
      error = caught;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('documents every flag it accepts in the usage text', () => {
    for (const flag of ['--input', '--labels', '--train-lines', '--train ', '--train-format', '--explain [k]', '--explain-top', '--json', '--batch-size', '--training-window', '--first-training-window']) {
      expect(EVALUATE_USAGE).toContain(flag);
    }
  });
});
