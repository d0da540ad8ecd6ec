// chart-tooltip.test.mjs — console/chart-tooltip.ts: a chart's tooltip shows
// money to the fen (¥1,234.56 from integer fen) while its axis rounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from './load.mjs';

const { tooltipHtml } = load('console/chart-tooltip.js');
const { yuan, count } = load('lib/format.js');

// as the dashboard's GMV-and-orders chart: money bars on the left axis
// (labels rounded to the yuan), a count line on the right
const spec = {
  series: [
    { name: 'GMV', type: 'bar', data: [] },
    { name: 'Orders', type: 'line', data: [], axis: 1 },
  ],
  format: [(v) => yuan(Math.round(v / 100) * 100).replace(/\.00$/, ''), count],
  exact: [yuan, count],
};
const point = (seriesIndex, value) => ({ seriesIndex, seriesName: spec.series[seriesIndex].name, value, axisValueLabel: '12-05', marker: '<i></i>' });

test('money to the fen, counts as counts', () => {
  assert.equal(tooltipHtml(spec, [point(0, 123456), point(1, 1234)]), '12-05<br><i></i>GMV: ¥1,234.56<br><i></i>Orders: 1,234');
  assert.equal(tooltipHtml(spec, [point(0, 99999999999999)]), '12-05<br><i></i>GMV: ¥999,999,999,999.99');
  assert.equal(tooltipHtml(spec, [point(0, -5)]), '12-05<br><i></i>GMV: -¥0.05');
});

test('a time axis point [time, value], one point alone, no points', () => {
  assert.equal(tooltipHtml(spec, { ...point(0, ['2026-12-05T10:00:00Z', 1999]), axisValueLabel: '2026-12-05 18:00' }), '2026-12-05 18:00<br><i></i>GMV: ¥19.99');
  assert.equal(tooltipHtml(spec, []), '');
});

test('without exact formatters the axis ones serve; names are escaped', () => {
  const plain = { series: [{ name: '<b>&"x"', type: 'line', data: [] }], format: [yuan] };
  assert.equal(tooltipHtml(plain, [{ ...point(0, 1), seriesName: '<b>&"x"' }]), '12-05<br><i></i>&lt;b&gt;&amp;&quot;x&quot;: ¥0.01');
});
