import { el } from '../dom/el.js';

export interface LegendItem {
  label: string;
  color: string;
  /** Extra text after the label, e.g. a count. */
  detail?: string;
}

/** A row of colour swatches with labels (text only). */
export function legend(items: readonly LegendItem[]): HTMLElement {
  return el(
    'ul',
    { className: 'legend' },
    ...items.map((item) => {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.background = item.color;
      return el('li', {}, swatch, el('span', { text: item.label }), item.detail === undefined ? null : el('span', { className: 'muted', text: ` ${item.detail}` }));
    }),
  );
}
