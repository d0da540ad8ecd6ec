// ECharts, imported piece by piece (line, bar; grid, tooltip, legend; canvas).
// This module is loaded with import() (see chart.ts) so that the figures of
// a page never wait for the chart code.
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { tooltipHtml, type TooltipPoint } from './chart-tooltip';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface Series {
  name: string;
  type: 'line' | 'bar';
  data: number[];
  axis?: 0 | 1; // the right-hand axis when 1
  step?: boolean;
}

export interface ChartSpec {
  categories: string[];
  series: Series[];
  // how an axis value is written, per value axis: money in fen -> ¥ (may round), counts
  format: Array<(v: number) => string>;
  // how a tooltip value is written, per value axis, when the axis rounds:
  // money exactly (yuan(), ¥1,234.56 from integer fen); else `format`
  exact?: Array<(v: number) => string>;
  horizontal?: boolean;
  labels?: (i: number, v: number) => string; // bar labels
  time?: boolean; // categories are ISO times: a time axis
}

const palette = ['#e0301e', '#1456f0', '#1f8a4c', '#b26a00'];

// Draws a chart into el and keeps it sized with el; returns its disposer.
export function draw(el: HTMLElement, spec: ChartSpec): () => void {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  const axisFor = (s: Series) => s.axis ?? 0;
  const valueAxes = spec.format.map((f, i) => ({
    type: 'value' as const,
    position: spec.horizontal ? undefined : i === 0 ? ('left' as const) : ('right' as const),
    axisLabel: { formatter: (v: number) => f(v), hideOverlap: true },
    splitLine: { show: i === 0 },
  }));
  const catAxis = spec.time
    ? { type: 'time' as const }
    : { type: 'category' as const, data: spec.categories, inverse: !!spec.horizontal, axisLabel: { hideOverlap: true } };
  chart.setOption({
    color: palette,
    animation: false,
    grid: { left: 8, right: spec.horizontal && spec.labels ? 96 : 8, top: spec.series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend: spec.series.length > 1 ? { top: 0, type: 'plain' } : undefined,
    tooltip: {
      trigger: 'axis',
      className: 'chart-tooltip', // found by the browser tests
      valueFormatter: undefined,
      formatter: (params: unknown) => tooltipHtml(spec, params as TooltipPoint | TooltipPoint[]),
    },
    xAxis: spec.horizontal ? valueAxes : catAxis,
    yAxis: spec.horizontal ? catAxis : valueAxes,
    series: spec.series.map((s, si) => ({
      name: s.name,
      type: s.type,
      data: spec.time ? s.data.map((v, i) => [spec.categories[i], v]) : s.data,
      yAxisIndex: spec.horizontal ? undefined : axisFor(s),
      step: s.step ? 'end' : undefined,
      showSymbol: s.type === 'line' && s.data.length <= 31,
      smooth: false,
      barMaxWidth: 28,
      label: spec.labels && s.type === 'bar' ? { show: true, position: spec.horizontal ? 'right' : 'top', formatter: (p: { dataIndex: number; value: number }) => spec.labels!(p.dataIndex, p.value) } : undefined,
      z: si,
    })),
  });
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(el);
  return () => {
    ro.disconnect();
    chart.dispose();
  };
}
