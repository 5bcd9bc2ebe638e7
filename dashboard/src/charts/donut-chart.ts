/** A donut chart on a canvas with a text legend (label, count, share): the log-level distribution. */
import { el } from '../dom/el.js';
import { sizedCanvas } from './canvas.js';
import { legend } from './legend.js';
import { font, textColor } from './palette.js';

export interface DonutSlice {
  label: string;
  value: number;
  color: string;
}

export interface DonutChart {
  readonly element: HTMLElement;
  update(slices: readonly DonutSlice[]): void;
}

const SIZE = 200;

export function donutChart(initial: readonly DonutSlice[], formatCount: (n: number) => string): DonutChart {
  const canvas = el('canvas');
  const legendHost = el('div', { className: 'donut-legend' });
  const element = el('div', { className: 'chart donut', attrs: { role: 'img' } }, canvas, legendHost);
  const draw = (slices: readonly DonutSlice[]): void => {
    const total = slices.reduce((sum, slice) => sum + Math.max(0, slice.value), 0);
    element.setAttribute('aria-label', slices.map((slice) => `${slice.label}: ${slice.value}`).join(', '));
    const context = sizedCanvas(canvas, SIZE, SIZE);
    const center = SIZE / 2;
    const outer = SIZE / 2 - 4;
    const inner = outer * 0.58;
    let angle = -Math.PI / 2;
    if (total === 0) {
      context.fillStyle = '#E5E9F0';
      context.beginPath();
      context.arc(center, center, outer, 0, Math.PI * 2);
      context.arc(center, center, inner, Math.PI * 2, 0, true);
      context.fill();
    }
    for (const slice of slices) {
      if (total === 0 || slice.value <= 0) continue;
      const sweep = (slice.value / total) * Math.PI * 2;
      context.fillStyle = slice.color;
      context.beginPath();
      context.arc(center, center, outer, angle, angle + sweep);
      context.arc(center, center, inner, angle + sweep, angle, true);
      context.closePath();
      context.fill();
      angle += sweep;
    }
    context.fillStyle = textColor;
    context.font = `600 20px system-ui, sans-serif`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(formatCount(total), center, center - 8);
    context.font = font;
    context.fillText('logs', center, center + 14);
    legendHost.replaceChildren(
      legend(slices.map((slice) => ({ label: slice.label, color: slice.color, detail: `${formatCount(slice.value)} (${total === 0 ? 0 : ((slice.value / total) * 100).toFixed(1)}%)` }))),
    );
  };
  draw(initial);
  return { element, update: draw };
}
