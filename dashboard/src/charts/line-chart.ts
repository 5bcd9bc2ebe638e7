/**
 * Time series and distributions drawn with uPlot (canvas): one chart object per panel, resized with
 * its container and updated in place on refresh (uPlot's setData; no DOM rebuilt).
 */
import uPlot from 'uplot';
import { el } from '../dom/el.js';
import { font, gridColor, textColor, withAlpha } from './palette.js';

export interface LineSeries {
  label: string;
  values: ReadonlyArray<number | null>;
  color: string;
  /** Fill the area under the line. */
  fill?: boolean;
  /** Draw as bars instead of a line. */
  bars?: boolean;
  /** Plot against the right-hand axis. */
  right?: boolean;
}

export interface LineChartSpec {
  /** x values: unix seconds (time), seconds since a start (seconds), or 0..n-1 (category). */
  x: readonly number[];
  xKind: 'time' | 'seconds' | 'category';
  /** Labels of the categories when xKind is 'category'. */
  categories?: readonly string[];
  series: readonly LineSeries[];
  yLabel: string;
  /** Label under the x axis (default: none, or "seconds since start" for xKind 'seconds'). */
  xLabel?: string;
  rightLabel?: string;
  height?: number;
}

export interface Chart {
  readonly element: HTMLElement;
  update(spec: LineChartSpec): void;
  destroy(): void;
}

const axisBase = { stroke: textColor, font, labelFont: font, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };

export function lineChart(spec: LineChartSpec): Chart {
  const element = el('div', { className: 'chart', attrs: { role: 'img', 'aria-label': spec.series.map((s) => s.label).join(', ') } });
  let plot: uPlot | null = null;
  let shape = '';
  const width = (): number => Math.max(240, element.clientWidth || 600);
  const observer = new ResizeObserver(() => plot?.setSize({ width: width(), height: spec.height ?? 240 }));
  observer.observe(element);

  const render = (next: LineChartSpec): void => {
    const data = [Array.from(next.x), ...next.series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const nextShape = JSON.stringify([next.xKind, next.categories, next.series.map((s) => [s.label, s.color, s.bars, s.right])]);
    if (plot !== null && nextShape === shape) {
      plot.setData(data);
      return;
    }
    plot?.destroy();
    shape = nextShape;
    plot = new uPlot(options(next, width()), data, element);
  };
  render(spec);

  return {
    element,
    update: render,
    destroy() {
      observer.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}

function options(spec: LineChartSpec, width: number): uPlot.Options {
  const categories = spec.categories ?? [];
  const hasRight = spec.series.some((s) => s.right);
  const xAxis: uPlot.Axis = { ...axisBase };
  if (spec.xKind === 'category') {
    xAxis.splits = () => categories.map((_, i) => i);
    xAxis.values = (_u, splits) => splits.map((i) => categories[i] ?? '');
    // Many categories: slanted labels so neighbours do not overlap.
    if (categories.length > 8) Object.assign(xAxis, { rotate: -40, size: 56 });
  }
  const xLabel = spec.xLabel ?? (spec.xKind === 'seconds' ? 'seconds since start' : undefined);
  if (xLabel !== undefined) Object.assign(xAxis, { label: xLabel, labelSize: 20 });
  const axes: uPlot.Axis[] = [xAxis, { ...axisBase, label: spec.yLabel, labelSize: 20, size: 56, scale: 'y' }];
  if (hasRight) axes.push({ ...axisBase, label: spec.rightLabel ?? '', labelSize: 20, size: 50, scale: 'y2', side: 1, grid: { show: false } });
  return {
    width,
    height: spec.height ?? 240,
    scales: {
      x: spec.xKind === 'time' ? { time: true } : spec.xKind === 'category' ? { time: false, range: () => [-0.5, Math.max(categories.length - 0.5, 0.5)] } : { time: false },
      y: { range: (_u, _min, max) => [0, niceMax(max)] },
      ...(hasRight ? { y2: { range: (_u: uPlot, _min: number, max: number) => [0, niceMax(max)] as uPlot.Range.MinMax } } : {}),
    },
    legend: { show: true, live: spec.xKind !== 'category' },
    cursor: { drag: { x: false, y: false } },
    axes,
    series: [
      {},
      ...spec.series.map<uPlot.Series>((s) => ({
        label: s.label,
        stroke: s.color,
        width: s.bars ? 1 : 2,
        scale: s.right ? 'y2' : 'y',
        fill: s.bars ? withAlpha(s.color, 0.75) : s.fill ? withAlpha(s.color, 0.15) : undefined,
        points: { show: !s.bars && spec.xKind === 'category', size: 6 },
        spanGaps: true,
        ...(s.bars ? { paths: uPlot.paths.bars!({ size: [0.7, 24], align: 0 }) } : {}),
      })),
    ],
  };
}

/** A round upper bound for a scale (so the axis ends on a readable number); 1 for an empty one. */
export function niceMax(max: number | null): number {
  if (max === null || !Number.isFinite(max) || max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= max * 1.05) ?? 10;
  return step * magnitude;
}
