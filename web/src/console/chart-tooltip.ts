// A chart's tooltip text: what ECharts hands its formatter, written with
// the figures' exact formatters (lib/format.ts: integer fen as ¥1,234.56),
// never the axis' rounded ones.  No ECharts here, so it is unit-tested.
import type { ChartSpec } from './charts';

export interface TooltipPoint {
  seriesIndex: number;
  seriesName: string;
  value: number | [string, number];
  axisValueLabel: string;
  marker: string;
}

// The tooltip's HTML for the points of one category (ECharts passes one
// point or a list); the names are escaped, the marker is ECharts' own.
export function tooltipHtml(spec: Pick<ChartSpec, 'series' | 'format' | 'exact'>, params: TooltipPoint | TooltipPoint[]): string {
  const list = Array.isArray(params) ? params : [params];
  if (!list.length) return '';
  const formats = spec.exact ?? spec.format;
  return [
    escapeHtml(list[0].axisValueLabel),
    ...list.map((p) => {
      const axis = spec.series[p.seriesIndex]?.axis ?? 0;
      const v = Array.isArray(p.value) ? p.value[1] : p.value;
      return `${p.marker}${escapeHtml(p.seriesName)}: ${escapeHtml(formats[axis](v))}`;
    }),
  ].join('<br>');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
