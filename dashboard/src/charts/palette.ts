/** Chart colours: colour-blind-friendly (Okabe–Ito based), readable on the light page background. */
export const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
export const anomalyColor = '#D1342F';
export const logsColor = '#2F6FB5';
export const textColor = '#3B4252';
export const gridColor = '#E5E9F0';
export const font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function seriesColor(index: number): string {
  return palette[index % palette.length] ?? '#0072B2';
}

/** The colour with alpha (hex #RRGGBB in, rgba out) for area fills. */
export function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
