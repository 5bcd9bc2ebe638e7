/** Series with their own x values put on one shared, sorted x axis (uPlot's aligned data); gaps are null. */
export function alignSeries(series: ReadonlyArray<{ x: readonly number[]; y: ReadonlyArray<number | null> }>): { x: number[]; ys: Array<Array<number | null>> } {
  const x = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const position = new Map(x.map((value, index) => [value, index]));
  const ys = series.map((s) => {
    const values = new Array<number | null>(x.length).fill(null);
    s.x.forEach((value, i) => {
      values[position.get(value)!] = s.y[i] ?? null;
    });
    return values;
  });
  return { x, ys };
}

/** Mean of the non-null values per group key, groups in ascending numeric order. */
export function meanBy<T>(items: readonly T[], key: (item: T) => number, value: (item: T) => number | null): Array<{ key: number; mean: number | null }> {
  const groups = new Map<number, number[]>();
  for (const item of items) {
    const bucket = groups.get(key(item)) ?? [];
    const v = value(item);
    if (v !== null && Number.isFinite(v)) bucket.push(v);
    groups.set(key(item), bucket);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([groupKey, values]) => ({ key: groupKey, mean: values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length }));
}
