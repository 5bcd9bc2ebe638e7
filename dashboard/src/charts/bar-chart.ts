/**
 * Grouped horizontal bars on a canvas: one row per category (service, experiment, setting), one
 * bar per series, the value written at the bar's end. (uPlot draws series over a numeric x axis;
 * categorical comparisons read better as labelled rows, and need only this much code.)
 */
import { el } from '../dom/el.js';
import { fitText, sizedCanvas } from './canvas.js';
import { font, gridColor, textColor } from './palette.js';
import { legend, type LegendItem } from './legend.js';

export interface BarSeries {
  label: string;
  color: string;
  values: ReadonlyArray<number | null>;
}

export interface BarChartSpec {
  categories: readonly string[];
  series: readonly BarSeries[];
  format: (value: number) => string;
  /** Fixed upper end of the value axis (e.g. 1 for ratios); default: the largest value. */
  max?: number;
}

export interface BarChart {
  readonly element: HTMLElement;
  update(spec: BarChartSpec): void;
  destroy(): void;
}

const BAR = 14;
const BAR_GAP = 3;
const ROW_GAP = 12;
const LABEL_WIDTH = 150;
const VALUE_ROOM = 70;

export function barChart(initial: BarChartSpec): BarChart {
  const canvas = el('canvas');
  const legendHost = el('div');
  const element = el('div', { className: 'chart bar-chart', attrs: { role: 'img' } }, legendHost, canvas);
  let spec = initial;
  const draw = (): void => {
    element.setAttribute('aria-label', describe(spec));
    legendHost.replaceChildren(legend(spec.series.map<LegendItem>((s) => ({ label: s.label, color: s.color }))));
    const rowHeight = spec.series.length * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
    const height = Math.max(40, spec.categories.length * rowHeight + 8);
    const width = Math.max(260, element.clientWidth || 480);
    const context = sizedCanvas(canvas, width, height);
    context.font = font;
    context.textBaseline = 'middle';
    const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
    const max = spec.max ?? Math.max(0, ...values);
    const plotLeft = LABEL_WIDTH + 8;
    const plotWidth = Math.max(40, width - plotLeft - VALUE_ROOM);
    context.strokeStyle = gridColor;
    context.beginPath();
    context.moveTo(plotLeft + 0.5, 0);
    context.lineTo(plotLeft + 0.5, height);
    context.stroke();
    spec.categories.forEach((category, row) => {
      const top = 4 + row * rowHeight;
      context.fillStyle = textColor;
      context.textAlign = 'right';
      context.fillText(fitText(context, category, LABEL_WIDTH), LABEL_WIDTH, top + (rowHeight - ROW_GAP) / 2);
      spec.series.forEach((series, index) => {
        const value = series.values[row] ?? null;
        const y = top + index * (BAR + BAR_GAP);
        context.textAlign = 'left';
        if (value === null || !Number.isFinite(value)) {
          context.fillStyle = '#8A94A6';
          context.fillText('no data', plotLeft + 4, y + BAR / 2);
          return;
        }
        const length = max <= 0 ? 0 : Math.max(1, (value / max) * plotWidth);
        context.fillStyle = series.color;
        context.fillRect(plotLeft + 1, y, length, BAR);
        context.fillStyle = textColor;
        context.fillText(spec.format(value), plotLeft + length + 6, y + BAR / 2);
      });
    });
  };
  const observer = new ResizeObserver(() => draw());
  observer.observe(element);
  draw();
  return {
    element,
    update(next) {
      spec = next;
      draw();
    },
    destroy: () => observer.disconnect(),
  };
}

function describe(spec: BarChartSpec): string {
  return spec.categories
    .map((category, row) => `${category}: ${spec.series.map((s) => `${s.label} ${s.values[row] === null || s.values[row] === undefined ? 'no data' : spec.format(s.values[row] as number)}`).join(', ')}`)
    .join('; ');
}
