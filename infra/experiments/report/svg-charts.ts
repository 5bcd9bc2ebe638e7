/**
 * Small inline SVG charts for the self-contained HTML report (no scripts, no external files).
 * Every label is XML-escaped here, so callers may pass any text (run names come from users).
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export const palette = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#9333ea'];

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const frame: Frame = { width: 760, height: 320, left: 64, right: 170, top: 28, bottom: 66 };

/** About five round tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) values.push(Math.round(v * 1e9) / 1e9);
  return values;
}

function fmt(value: number): string {
  return Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Math.round(value * 100) / 100);
}

function shell(title: string, body: string, xLabel: string, yLabel: string): string {
  const f = frame;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${escapeXml(title)}" class="chart">
<text x="${f.left}" y="16" class="title">${escapeXml(title)}</text>
<text x="${(f.left + f.width - f.right) / 2}" y="${f.height - 8}" text-anchor="middle" class="axis">${escapeXml(xLabel)}</text>
<text transform="translate(14 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeXml(yLabel)}</text>
${body}</svg>`;
}

function yAxis(maxY: number): { y: (v: number) => number; svg: string } {
  const f = frame;
  const top = maxY > 0 ? maxY * 1.08 : 1;
  const y = (v: number) => f.height - f.bottom - (v / top) * (f.height - f.top - f.bottom);
  const svg = ticks(0, top)
    .map((t) => `<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${f.left - 6}" y="${y(t) + 4}" text-anchor="end" class="tick">${fmt(t)}</text>`)
    .join('\n');
  return { y, svg };
}

function legend(names: readonly string[]): string {
  const x = frame.width - frame.right + 12;
  return names
    .map((name, i) => `<rect x="${x}" y="${frame.top + i * 18}" width="10" height="10" fill="${palette[i % palette.length]}"/><text x="${x + 15}" y="${frame.top + i * 18 + 9}" class="tick">${escapeXml(name.slice(0, 24))}</text>`)
    .join('\n');
}

export interface LineSeries {
  readonly name: string;
  /** [x, y, optional error-bar low, high]. */
  readonly points: ReadonlyArray<readonly [number, number, number?, number?]>;
}

export function lineChart(options: { title: string; xLabel: string; yLabel: string; series: readonly LineSeries[] }): string {
  const f = frame;
  const all = options.series.flatMap((s) => s.points);
  if (all.length === 0) return `<p class="empty">${escapeXml(options.title)}: nothing measured.</p>`;
  const minX = Math.min(...all.map((p) => p[0]));
  const maxX = Math.max(...all.map((p) => p[0]));
  const span = maxX > minX ? maxX - minX : 1;
  const x = (v: number) => f.left + ((v - minX) / span) * (f.width - f.left - f.right);
  const { y, svg: grid } = yAxis(Math.max(...all.map((p) => p[3] ?? p[1])));
  const xTicks = ticks(minX, maxX).map((t) => `<text x="${x(t)}" y="${f.height - f.bottom + 16}" text-anchor="middle" class="tick">${fmt(t)}</text>`).join('');
  const lines = options.series.map((s, i) => {
    const color = palette[i % palette.length];
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    const dots = sorted.length <= 60 ? sorted.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3" fill="${color}"/>`).join('') : '';
    const errors = sorted
      .filter((p) => p[2] !== undefined && p[3] !== undefined)
      .map((p) => `<line x1="${x(p[0]).toFixed(1)}" x2="${x(p[0]).toFixed(1)}" y1="${y(p[2]!).toFixed(1)}" y2="${y(p[3]!).toFixed(1)}" stroke="${color}" class="err"/>`)
      .join('');
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8"/>${dots}${errors}`;
  });
  return shell(options.title, `${grid}\n${xTicks}\n${lines.join('\n')}\n${legend(options.series.map((s) => s.name))}`, options.xLabel, options.yLabel);
}

export interface BarGroup {
  readonly label: string;
  /** One value per series (null: not measured), with optional error-bar low/high. */
  readonly values: ReadonlyArray<{ readonly value: number | null; readonly low?: number; readonly high?: number }>;
}

export function barChart(options: { title: string; yLabel: string; seriesNames: readonly string[]; groups: readonly BarGroup[] }): string {
  const f = frame;
  const measured = options.groups.flatMap((g) => g.values.flatMap((v) => (v.value === null ? [] : [v.high ?? v.value])));
  if (measured.length === 0) return `<p class="empty">${escapeXml(options.title)}: nothing measured.</p>`;
  const { y, svg: grid } = yAxis(Math.max(...measured));
  const slot = (f.width - f.left - f.right) / options.groups.length;
  const barWidth = Math.max(2, (slot * 0.8) / options.seriesNames.length);
  const bars = options.groups.map((group, g) => {
    const start = f.left + g * slot + slot * 0.1;
    const label = `<text transform="translate(${start + slot * 0.4} ${f.height - f.bottom + 12}) rotate(20)" class="tick">${escapeXml(group.label.slice(0, 18))}</text>`;
    const rects = group.values.map((v, s) => {
      if (v.value === null) return '';
      const x0 = start + s * barWidth;
      const color = palette[s % palette.length];
      const error = v.low !== undefined && v.high !== undefined ? `<line x1="${x0 + barWidth / 2}" x2="${x0 + barWidth / 2}" y1="${y(v.low)}" y2="${y(v.high)}" class="err" stroke="#111"/>` : '';
      return `<rect x="${x0.toFixed(1)}" y="${y(v.value).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${(y(0) - y(v.value)).toFixed(1)}" fill="${color}"><title>${escapeXml(`${group.label} ${options.seriesNames[s] ?? ''}: ${fmt(v.value)}`)}</title></rect>${error}`;
    });
    return `${rects.join('')}${label}`;
  });
  return shell(options.title, `${grid}\n${bars.join('\n')}\n${legend(options.seriesNames)}`, '', options.yLabel);
}
