// The dashboard: KPI cards, daily charts, the funnel and the top lists for a
// date range.  The shell and placeholders are drawn at once; every request
// starts at the same moment and each region fills when its answer arrives.
import { enc } from '../lib/api';
import { failure, h, mount, region, empty } from '../lib/dom';
import { bps, count, daysAgo, isoDay, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { dispatch, go } from '../lib/router';
import { chartBox, chartsAfter, fill } from './chart';
import { page } from './layout';
import { api } from './session';
import type { Daily, DayStats, Funnel, Stats, Summary, Top } from './types';
import { card, heading, memberLink, money, num, pending, prefetched, productLink, row, table } from './ui';

type Preset = '7' | '30' | 'month' | 'custom';

export interface Range {
  from: string;
  to: string;
  preset: Preset;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function rangeOf(q: URLSearchParams): Range {
  const preset = (q.get('preset') as Preset | null) ?? '30';
  if (preset === 'custom') {
    const from = q.get('from') ?? '';
    const to = q.get('to') ?? '';
    if (DAY.test(from) && DAY.test(to)) return { from, to, preset };
  }
  return presetRange(preset === 'custom' ? '30' : preset);
}

function presetRange(p: Exclude<Preset, 'custom'>): Range {
  const today = new Date();
  if (p === 'month') return { from: isoDay(new Date(today.getFullYear(), today.getMonth(), 1)), to: isoDay(today), preset: p };
  const n = p === '7' ? 7 : 30;
  return { from: daysAgo(n - 1, today), to: isoDay(today), preset: p };
}

function hrefOf(r: Range, metric?: string): string {
  const m = metric && metric !== 'commission' ? `&metric=${enc(metric)}` : '';
  return r.preset === 'custom' ? `/?preset=custom&from=${r.from}&to=${r.to}${m}` : `/?preset=${r.preset}${m}`;
}

// The KPI cards: the figures of the summary, and the conversion of the funnel.
const kpis: Array<{ key: string; label: string; of?: (s: Stats) => string }> = [
  { key: 'gmv', label: 'dash.gmv', of: (s) => yuan(s.gmv) },
  { key: 'commission', label: 'dash.commission', of: (s) => yuan(s.commission) },
  { key: 'members_share', label: 'dash.membersShare', of: (s) => yuan(s.members_share) },
  { key: 'platform_share', label: 'dash.platformShare', of: (s) => yuan(s.platform_share) },
  { key: 'orders', label: 'dash.orders', of: (s) => count(s.orders) },
  { key: 'clicks', label: 'dash.clicks', of: (s) => count(s.clicks) },
  { key: 'conversion', label: 'dash.conversion' }, // from the funnel
  { key: 'new_members', label: 'dash.newMembers', of: (s) => count(s.new_members) },
];

export function dashboard(_p: Record<string, string>, q: URLSearchParams): void {
  const range = rangeOf(q);
  const metric = ['commission', 'gmv', 'orders', 'clicks'].includes(q.get('metric') ?? '') ? (q.get('metric') as string) : 'commission';
  const query = { from: range.from, to: range.to };

  // The figures read a handful of rows each and leave at once; the top
  // lists sum a whole range over every member or product (the slow ones on
  // a large database, and the server answers one call at a time on its
  // database), so they leave once the KPI figures are in.
  const summary = api.get<Summary>('/reports/summary', query);
  const funnel = api.get<Funnel>('/reports/funnel', query);
  const daily = api.get<Daily>('/reports/daily', query);
  const kpisIn = Promise.allSettled([summary, funnel]);
  const top = (by: 'products' | 'members' | 'channels') =>
    kpisIn.then(() => api.get<Top>('/reports/top', { ...query, by, metric, limit: 10 }));
  const tops = { products: top('products'), members: top('members'), channels: top('channels') };
  chartsAfter(summary); // the chart code starts once the KPI figures are painted
  for (const p of [summary, funnel, daily, ...Object.values(tops)]) p.catch(() => {}); // handled by their regions

  const main = page(t('nav.dashboard'));
  const kpiGrid = h(
    'div',
    { class: 'grid kpis', 'data-testid': 'kpis', 'aria-busy': 'true', 'data-from': range.from, 'data-to': range.to },
    kpis.map((k) =>
      h(
        'div',
        { class: 'kpi', 'data-kpi': k.key },
        h('div', { class: 'label', id: `kpi-${k.key}-label` }, t(k.label)),
        h('div', { class: 'value', 'data-testid': `kpi-${k.key}`, 'aria-labelledby': `kpi-${k.key}-label` }, pending()),
      ),
    ),
  );
  const kpiError = h('div', { 'data-testid': 'kpi-error' });
  const moneyChart = chartBox(t('dash.chartMoney'), 'chart-money');
  const countChart = chartBox(t('dash.chartCounts'), 'chart-counts');
  const funnelChart = chartBox(t('dash.chartFunnel'), 'chart-funnel');
  const funnelRates = h('div', { class: 'funnel-rates', 'data-testid': 'funnel-rates' }, pending());
  const topBoxes = {
    products: h('div', { 'data-testid': 'top-products' }),
    members: h('div', { 'data-testid': 'top-members' }),
    channels: h('div', { 'data-testid': 'top-channels' }),
  };

  mount(
    main,
    heading(t('nav.dashboard'), t('dash.range', { from: range.from, to: range.to })),
    rangeForm(range, metric),
    kpiGrid,
    kpiError,
    h('div', { class: 'cols' }, card(t('dash.chartMoney'), null, moneyChart), card(t('dash.chartCounts'), null, countChart)),
    card(t('dash.funnel'), 'funnel', h('div', { class: 'cols funnel-cols' }, funnelChart, funnelRates)),
    card(
      t('dash.top'),
      'top',
      metricPicker(range, metric),
      h(
        'div',
        { class: 'cols three' },
        h('div', null, h('h3', null, t('dash.topProducts')), topBoxes.products),
        h('div', null, h('h3', null, t('dash.topMembers')), topBoxes.members),
        h('div', null, h('h3', null, t('dash.topChannels')), topBoxes.channels),
      ),
    ),
  );

  // KPI figures: from the summary (and the conversion from the funnel).
  const setKpi = (key: string, text: string) => {
    const el = kpiGrid.querySelector(`[data-testid="kpi-${key}"]`);
    if (el) el.textContent = text;
  };
  summary
    .then((s) => {
      for (const k of kpis) if (k.of) setKpi(k.key, k.of(s.totals));
      kpiGrid.setAttribute('aria-busy', 'false');
      kpiGrid.setAttribute('data-ready', 'true');
      kpiGrid.setAttribute('data-ready-ms', String(Math.round(performance.now())));
      performance.mark('tuike:kpis-ready');
    })
    .catch((e) => {
      kpiGrid.setAttribute('aria-busy', 'false');
      for (const el of kpiGrid.querySelectorAll('.value')) if (el.querySelector('.skeleton')) el.textContent = '—';
      mount(kpiError, failure(e, () => dispatch()));
    });

  funnel
    .then((f) => {
      setKpi('conversion', bps(f.funnel.order_per_unique_click_bps));
      renderFunnel(funnelChart, funnelRates, f);
    })
    .catch((e) => {
      setKpi('conversion', '—');
      mount(funnelRates, failure(e, () => dispatch()));
      funnelChart.remove();
    });

  daily
    .then((d) => renderDaily(moneyChart, countChart, d))
    .catch((e) => {
      mount(moneyChart, failure(e, () => dispatch()));
      mount(countChart, failure(e, () => dispatch()));
    });

  for (const by of ['products', 'members', 'channels'] as const)
    void region(topBoxes[by], prefetched(tops[by], () => top(by)), (v) => topTable(by, v));
}

function rangeForm(range: Range, metric: string): HTMLElement {
  const from = h('input', { type: 'date', id: 'range-from', value: range.from, required: true, 'data-testid': 'range-from' });
  const to = h('input', { type: 'date', id: 'range-to', value: range.to, required: true, 'data-testid': 'range-to' });
  const presets: Array<[Exclude<Preset, 'custom'>, string]> = [
    ['7', 'dash.preset7'],
    ['30', 'dash.preset30'],
    ['month', 'dash.presetMonth'],
  ];
  const msg = h('span', { class: 'form-error', role: 'alert' });
  return h(
    'form',
    {
      class: 'range row card',
      'aria-label': t('dash.rangeLabel'),
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!DAY.test(from.value) || !DAY.test(to.value) || from.value > to.value) {
          msg.textContent = t('dash.badRange');
          return;
        }
        go(hrefOf({ from: from.value, to: to.value, preset: 'custom' }, metric));
      },
    },
    h(
      'div',
      { class: 'presets', role: 'group', 'aria-label': t('dash.presets') },
      presets.map(([p, key]) =>
        h(
          'button',
          { type: 'button', 'aria-pressed': String(range.preset === p), 'data-testid': `preset-${p}`, onclick: () => go(hrefOf(presetRange(p), metric)) },
          t(key),
        ),
      ),
    ),
    h('label', { for: 'range-from' }, t('dash.from'), from),
    h('label', { for: 'range-to' }, t('dash.to'), to),
    h('button', { type: 'submit', 'aria-pressed': String(range.preset === 'custom'), 'data-testid': 'range-apply' }, t('dash.apply')),
    msg,
  );
}

function metricPicker(range: Range, metric: string): HTMLElement {
  const sel = h(
    'select',
    { id: 'top-metric', 'data-testid': 'top-metric', onchange: (e: Event) => go(hrefOf(range, (e.target as HTMLSelectElement).value)) },
    ['commission', 'gmv', 'orders', 'clicks'].map((m) => h('option', { value: m, selected: m === metric }, t(`metric.${m}`))),
  );
  return h('div', { class: 'row' }, h('label', { for: 'top-metric' }, t('dash.rankBy'), sel));
}

// One figure of the daily series: its name, its value in a day, how a table
// cell and an axis label show it.
interface Figure {
  label: string;
  of: (x: DayStats) => number;
  cell: (v: number) => ReturnType<typeof num>;
  axis: (v: number) => string;
}

const GMV: Figure = { label: 'dash.gmv', of: (x) => x.gmv, cell: money, axis: shortYuan };
const COMMISSION: Figure = { label: 'dash.commission', of: (x) => x.commission, cell: money, axis: shortYuan };
const ORDERS: Figure = { label: 'dash.orders', of: (x) => x.orders, cell: num, axis: count };
const CLICKS: Figure = { label: 'dash.clicks', of: (x) => x.clicks, cell: num, axis: count };

// A chart of two figures by day (bars, and a line on the second axis), with
// the same numbers as a table for screen readers.
function barAndLine(box: HTMLElement, d: Daily, caption: string, bar: Figure, line: Figure): void {
  const alt = table(
    caption,
    [t('common.date'), { label: t(bar.label), num: true }, { label: t(line.label), num: true }],
    d.days.map((x) => row([x.date, bar.cell(bar.of(x)), line.cell(line.of(x))])),
  );
  void fill(
    box,
    {
      categories: d.days.map((x) => x.date.slice(5)),
      series: [
        { name: t(bar.label), type: 'bar', data: d.days.map(bar.of) },
        { name: t(line.label), type: 'line', data: d.days.map(line.of), axis: 1 },
      ],
      format: [bar.axis, line.axis],
    },
    alt,
  );
}

function renderDaily(moneyBox: HTMLElement, countBox: HTMLElement, d: Daily): void {
  barAndLine(moneyBox, d, t('dash.chartMoney'), GMV, COMMISSION);
  barAndLine(countBox, d, t('dash.chartCounts'), ORDERS, CLICKS);
}

// Axis labels: whole yuan, without the fen, e.g. ¥12,345.
function shortYuan(fen: number): string {
  return yuan(Math.round(fen / 100) * 100).replace(/\.00$/, '');
}

function renderFunnel(box: HTMLElement, rates: HTMLElement, f: Funnel): void {
  const x = f.funnel;
  const stages: Array<[string, number]> = [
    [t('funnel.clicks'), x.clicks],
    [t('funnel.unique'), x.unique_clicks],
    [t('funnel.orders'), x.orders],
    [t('funnel.settled'), x.settled_orders],
  ];
  const uniqueShare = x.clicks > 0 ? Math.floor((x.unique_clicks * 10000) / x.clicks) : null;
  const stepRates: Array<number | null> = [null, uniqueShare, x.unique_clicks > 0 ? x.order_per_unique_click_bps : null, x.settled_per_order_bps];
  const alt = table(
    t('dash.funnel'),
    [t('funnel.stage'), { label: t('funnel.count'), num: true }, { label: t('funnel.rate'), num: true }],
    stages.map(([name, v], i) => row([name, num(v), { v: stepRates[i] === null ? '—' : bps(stepRates[i]), num: true }])),
  );
  void fill(
    box,
    {
      categories: stages.map((s) => s[0]),
      series: [{ name: t('funnel.count'), type: 'bar', data: stages.map((s) => s[1]) }],
      format: [count],
      horizontal: true,
      labels: (i, v) => (stepRates[i] === null ? count(v) : `${count(v)} (${bps(stepRates[i])})`),
    },
    alt,
  );
  mount(
    rates,
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, t('funnel.uniqueRate')), h('dd', { 'data-testid': 'rate-unique' }, uniqueShare === null ? '—' : bps(uniqueShare))),
      h('div', null, h('dt', null, t('funnel.orderRate')), h('dd', { 'data-testid': 'rate-order' }, bps(x.order_per_unique_click_bps))),
      h('div', null, h('dt', null, t('funnel.settledRate')), h('dd', { 'data-testid': 'rate-settled' }, bps(x.settled_per_order_bps))),
      h('div', null, h('dt', null, t('funnel.invalid')), h('dd', null, count(x.invalid_orders))),
      h('div', null, h('dt', null, t('funnel.settledCommission')), h('dd', null, yuan(x.settled_commission))),
    ),
    x.clicks === 0 ? h('p', { class: 'muted' }, t('funnel.noClicks')) : null,
  );
}

function topTable(by: 'products' | 'members' | 'channels', top: Top): HTMLElement {
  if (!top.items.length) return empty(t('dash.topEmpty'));
  // the server names members and products (label); the key stays visible as a hint
  const keyCell = (key: string, label?: string) => {
    if (by === 'members') return memberLink(key, label ? `${label} (${key})` : key);
    if (by === 'products') {
      const i = key.indexOf(':');
      return i > 0 ? productLink(key.slice(0, i), key.slice(i + 1), label || key) : key;
    }
    return key;
  };
  const label = by === 'products' ? t('dash.topProducts') : by === 'members' ? t('dash.topMembers') : t('dash.topChannels');
  return table(
    label,
    ['#', t(`top.${by}`), { label: t('dash.commission'), num: true }, { label: t('dash.gmv'), num: true }, { label: t('dash.orders'), num: true }, { label: t('dash.clicks'), num: true }],
    top.items.map((it, i) => row([String(i + 1), keyCell(it.key, it.label), money(it.commission), money(it.gmv), num(it.orders), num(it.clicks)], { 'data-key': it.key })),
  );
}
