// The dashboard: today and yesterday, what waits for an operator, the KPI
// cards with their change on the period before, daily charts, the funnel and
// the top lists for a date range.  The shell is drawn at once; every request
// starts at the same moment and each region fills when its answer arrives;
// a failed request shows one error for the page, with a retry.
import { enc } from '../lib/api';
import { failure, h, mount, empty } from '../lib/dom';
import { bps, count, daysAgo, isoDay, shortDay, yuan } from '../lib/format';
import { t, type MessageKey } from '../lib/i18n';
import { dispatch, go } from '../lib/router';
import { chartBox, chartsAfter, fill } from './chart';
import { page } from './layout';
import { api } from './session';
import type { Conversion, Daily, DayStats, Funnel, Stats, Summary, Top, WithdrawalPage } from './types';
import { card, heading, memberLink, money, num, pending, productLink, row, table } from './ui';

type Preset = '7' | '30' | 'month' | 'custom';

export interface Range {
  from: string;
  to: string;
  preset: Preset;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// The server's limit on a report's range (API_REPORT_DAYS_MAX): checked
// here first, so that a range it would refuse is never asked for.
export const RANGE_DAYS_MAX = 366;

// Days from `from` to `to`, both included (ISO days, whole UTC days apart).
export function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000) + 1;
}

// What is wrong with a range, in words; null when the server would take it.
function rangeProblem(from: string, to: string): string | null {
  if (!DAY.test(from) || !DAY.test(to) || from > to) return t('dash.badRange');
  if (rangeDays(from, to) > RANGE_DAYS_MAX) return t('dash.rangeTooLong', { max: String(RANGE_DAYS_MAX), days: count(rangeDays(from, to)) });
  return null;
}

// The change of a figure on the period before, in tenths of a percent,
// rounded half away from zero, in exact integers (BigInt: fen times 1000
// may pass 2^53); null when the period before had none to compare with.
export function changeTenths(cur: number, prev: number): bigint | null {
  if (prev === 0) return null;
  const d = (BigInt(cur) - BigInt(prev)) * 1000n;
  const p = BigInt(prev < 0 ? -prev : prev);
  const a = d < 0n ? -d : d;
  const q = (2n * a + p) / (2n * p);
  return d < 0n ? -q : q;
}

// "+12.3%", "−4.0%" (a real minus sign), "0.0%"; "—" without a base.
export function changeText(cur: number, prev: number): string {
  const c = changeTenths(cur, prev);
  if (c === null) return '—';
  const a = c < 0n ? -c : c;
  const sign = c > 0n ? '+' : c < 0n ? '\u2212' : '';
  return `${sign}${(a / 10n).toString()}.${(a % 10n).toString()}%`;
}

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

// The KPI cards: the figures of the summary, each with its value in the
// period before (for the change); the conversion is the links' own.
interface Kpi {
  key: string;
  label: MessageKey;
  show: (s: Stats, c: Conversion) => string;
  value: (s: Stats, c: Conversion) => number;
}
const stat = (key: keyof Stats, label: MessageKey, fmt: (v: number) => string): Kpi => ({
  key,
  label,
  show: (s) => fmt(s[key] ?? 0),
  value: (s) => s[key] ?? 0,
});
const kpis: Kpi[] = [
  stat('gmv', 'dash.gmv', yuan),
  stat('commission', 'dash.commission', yuan),
  stat('members_share', 'dash.membersShare', yuan),
  stat('platform_share', 'dash.platformShare', yuan),
  stat('orders', 'dash.orders', count),
  stat('clicks', 'dash.clicks', count),
  { key: 'conversion', label: 'dash.conversion', show: (_s, c) => bps(c.link_order_per_unique_click_bps), value: (_s, c) => c.link_order_per_unique_click_bps },
  { key: 'other_orders', label: 'dash.otherOrders', show: (_s, c) => `${count(c.other_orders)} (${bps(c.other_share_bps)})`, value: (_s, c) => c.other_orders },
  stat('new_members', 'dash.newMembers', count),
];

export function dashboard(_p: Record<string, string>, q: URLSearchParams): void {
  const range = rangeOf(q);
  const metric = ['commission', 'gmv', 'orders', 'clicks'].includes(q.get('metric') ?? '') ? (q.get('metric') as string) : 'commission';
  const main = page(t('nav.dashboard'));
  const form = rangeForm(range, metric);
  // a range the server would refuse (a hand-made address) is never asked for
  const problem = rangeProblem(range.from, range.to);
  if (problem) {
    mount(main, heading(t('nav.dashboard'), t('dash.range', { from: range.from, to: range.to })), form.el);
    form.refuse(problem);
    return;
  }
  const query = { from: range.from, to: range.to };
  const today = isoDay(new Date());
  const yesterday = daysAgo(1);

  // The figures read a handful of rows each and leave at once; the top
  // lists sum a whole range over every member or product (the slow ones on
  // a large database, and the server answers one call at a time on its
  // database), so they leave once the KPI figures are in.
  const summary = api.get<Summary>('/reports/summary', query);
  const funnel = api.get<Funnel>('/reports/funnel', query);
  const strip = api.get<Daily>('/reports/daily', { from: yesterday, to: today });
  const daily = api.get<Daily>('/reports/daily', query);
  const kpisIn = Promise.allSettled([summary, funnel]);
  const todo = kpisIn.then(() => todoItems(today, yesterday));
  const top = (by: 'products' | 'members' | 'channels') =>
    kpisIn.then(() => api.get<Top>('/reports/top', { ...query, by, metric, limit: 10 }));
  const tops = { products: top('products'), members: top('members'), channels: top('channels') };
  chartsAfter(summary); // the chart code starts once the KPI figures are painted

  // One error for the page: the first failure says what went wrong, with a
  // retry of the whole page; the regions it left empty show a dash.
  const pageError = h('div', { 'data-testid': 'page-error' });
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    mount(pageError, failure(e, () => dispatch()));
  };
  const dash = (el: Element) => mount(el, h('span', { class: 'muted' }, '—'));

  const kpiGrid = kpiCards(range);
  const stripBox = h('div', { class: 'strip', 'data-testid': 'strip', 'aria-busy': 'true' }, pending());
  const todoBox = h('div', { 'data-testid': 'todo', 'aria-busy': 'true' }, pending());
  const moneyChart = chartBox(t('dash.chartMoney'), 'chart-money');
  const countChart = chartBox(t('dash.chartCounts'), 'chart-counts');
  const funnelChart = chartBox(t('dash.chartFunnel'), 'chart-funnel');
  const funnelRates = h('div', { class: 'funnel-rates', 'data-testid': 'funnel-rates' }, pending());
  const topBoxes = {
    products: h('div', { 'data-testid': 'top-products', class: 'top-products' }, pending()),
    members: h('div', { 'data-testid': 'top-members' }, pending()),
    channels: h('div', { 'data-testid': 'top-channels' }, pending()),
  };

  mount(
    main,
    heading(t('nav.dashboard'), t('dash.range', { from: range.from, to: range.to })),
    pageError,
    h('div', { class: 'cols' }, card(t('dash.strip'), 'strip-card', stripBox), card(t('dash.todo'), 'todo-card', todoBox)),
    form.el,
    kpiGrid,
    h('p', { class: 'muted kpi-note' }, t('dash.changeNote')),
    h('div', { class: 'cols' }, card(t('dash.chartMoney'), null, moneyChart), card(t('dash.chartCounts'), null, countChart)),
    card(t('dash.funnel'), 'funnel', h('div', { class: 'cols funnel-cols' }, funnelChart, funnelRates)),
    card(
      t('dash.top'),
      'top',
      metricPicker(range, metric),
      h('div', null, h('h3', null, t('dash.topProducts')), topBoxes.products),
      h(
        'div',
        { class: 'cols' },
        h('div', null, h('h3', null, t('dash.topMembers')), topBoxes.members),
        h('div', null, h('h3', null, t('dash.topChannels')), topBoxes.channels),
      ),
    ),
  );

  summary
    .then((s) => showKpis(kpiGrid, s))
    .catch((e) => {
      kpiGrid.setAttribute('aria-busy', 'false');
      for (const el of kpiGrid.querySelectorAll('.value')) if (el.querySelector('.skeleton')) el.textContent = '—';
      fail(e);
    });

  strip
    .then((d) => renderStrip(stripBox, d, today, yesterday))
    .catch((e) => (dash(stripBox), fail(e)))
    .finally(() => stripBox.setAttribute('aria-busy', 'false'));

  todo
    .then((items) => renderTodo(todoBox, items))
    .catch((e) => (dash(todoBox), fail(e)))
    .finally(() => todoBox.setAttribute('aria-busy', 'false'));

  funnel
    .then((f) => renderFunnel(funnelChart, funnelRates, f))
    .catch((e) => {
      dash(funnelRates);
      funnelChart.remove();
      fail(e);
    });

  daily
    .then((d) => renderDaily(moneyChart, countChart, d))
    .catch((e) => {
      dash(moneyChart);
      dash(countChart);
      fail(e);
    });

  for (const by of ['products', 'members', 'channels'] as const)
    tops[by].then((v) => mount(topBoxes[by], topTable(by, v))).catch((e) => (dash(topBoxes[by]), fail(e)));
}

// The KPI cards, each waiting for its figure (see showKpis).
function kpiCards(range: Range): HTMLElement {
  return h(
    'div',
    { class: 'grid kpis', 'data-testid': 'kpis', 'aria-busy': 'true', 'data-from': range.from, 'data-to': range.to },
    kpis.map((k) =>
      h(
        'div',
        { class: 'kpi', 'data-kpi': k.key },
        h('div', { class: 'label', id: `kpi-${k.key}-label` }, t(k.label)),
        h('div', { class: 'value', 'data-testid': `kpi-${k.key}`, 'aria-labelledby': `kpi-${k.key}-label` }, pending()),
        h('div', { class: 'change', 'data-testid': `kpi-${k.key}-change` }),
      ),
    ),
  );
}

// Fills the KPI cards from the summary: each figure, its change on the
// previous period and that period's figure; marks the grid ready (the
// browser tests and the timing measure wait for it).
function showKpis(kpiGrid: HTMLElement, s: Summary): void {
  const setKpi = (key: string, text: string, change?: string, prev?: string) => {
    const el = kpiGrid.querySelector(`[data-testid="kpi-${key}"]`);
    if (el) el.textContent = text;
    const ch = kpiGrid.querySelector(`[data-testid="kpi-${key}-change"]`);
    if (ch && change !== undefined) {
      ch.textContent = t('dash.change', { change, prev: prev ?? '—' });
      ch.className = `change ${change.startsWith('+') ? 'up' : change.startsWith('\u2212') ? 'down' : ''}`.trim();
    }
  };
  const p = s.previous;
  for (const k of kpis) {
    if (!(k.key in s.totals) && k.key !== 'conversion' && k.key !== 'other_orders') continue;
    setKpi(k.key, k.show(s.totals, s.conversion), changeText(k.value(s.totals, s.conversion), k.value(p.totals, p.conversion)), k.show(p.totals, p.conversion));
  }
  kpiGrid.setAttribute('data-prev-from', p.from);
  kpiGrid.setAttribute('data-prev-to', p.to);
  kpiGrid.setAttribute('aria-busy', 'false');
  kpiGrid.setAttribute('data-ready', 'true');
  kpiGrid.setAttribute('data-ready-ms', String(Math.round(performance.now())));
  performance.mark('tuike:kpis-ready');
}

// Today and yesterday (the browser's days, as the presets): orders, GMV,
// the estimated commission (the union's, net of refunds) and clicks.
function renderStrip(box: HTMLElement, d: Daily, today: string, yesterday: string): void {
  const of = (day: string) => d.days.find((x) => x.date === day);
  const cols: Array<[MessageKey, (x: DayStats) => string]> = [
    ['dash.orders', (x) => count(x.orders)],
    ['dash.gmv', (x) => yuan(x.gmv)],
    ['dash.estCommission', (x) => yuan(x.commission)],
    ['dash.clicks', (x) => count(x.clicks)],
  ];
  const keys = ['orders', 'gmv', 'commission', 'clicks'];
  mount(
    box,
    table(
      t('dash.strip'),
      ['', ...cols.map(([label]) => ({ label: t(label), num: true }))],
      (
        [
          ['today', t('dash.today'), today],
          ['yesterday', t('dash.yesterday'), yesterday],
        ] as const
      ).map(([id, name, day]) => {
        const x = of(day);
        return row([h('span', { title: day }, name), ...cols.map(([, f], i) => ({ v: x ? f(x) : '—', num: true, testid: `strip-${id}-${keys[i]}` }))], { 'data-day': day });
      }),
      'strip-table',
    ),
  );
}

// What waits for an operator, each with the page where it is done.
interface TodoItem {
  id: string;
  text: string;
  href: string;
}

// Every open withdrawal (pages of 100, at most 20 of them: beyond, the
// count says "at least"), the approved ones not yet paid, the members who
// owe after a clawback among them, and the chat groups' failed sends of
// today and yesterday.
async function todoItems(today: string, yesterday: string): Promise<TodoItem[]> {
  const all = async (status: string) => {
    const out: WithdrawalPage['withdrawals'] = [];
    let before: string | undefined;
    let more = false;
    for (let i = 0; i < 20; i++) {
      const p = await api.get<WithdrawalPage>('/withdrawals', { status, limit: 100, before });
      out.push(...p.withdrawals);
      if (!p.next) return { list: out, more: false };
      before = p.next;
      more = true;
    }
    return { list: out, more };
  };
  const [requested, approved, groups] = await Promise.all([
    all('requested'),
    all('approved'),
    api.get<{ groups: Array<{ id: number; name: string; totals: { failures: number } }> }>('/reports/groups', { from: yesterday, to: today }),
  ]);
  const sum = (l: Array<{ amount: number }>) => l.reduce((a, w) => a + w.amount, 0);
  const atLeast = (n: number, more: boolean) => (more ? `≥${count(n)}` : count(n));
  const items: TodoItem[] = [];
  if (requested.list.length)
    items.push({ id: 'withdrawals', text: t('todo.withdrawals', { n: atLeast(requested.list.length, requested.more), amount: yuan(sum(requested.list)) }), href: '#/withdrawals?status=requested' });
  const owing = new Map<string, number>();
  for (const w of [...requested.list, ...approved.list]) if (w.blocked === 'member_in_debt' || w.available < 0) owing.set(w.member, w.available);
  if (owing.size)
    items.push({ id: 'debt', text: t('todo.debt', { n: count(owing.size), owes: yuan(-[...owing.values()].reduce((a, v) => a + v, 0)) }), href: '#/withdrawals?status=all' });
  if (approved.list.length)
    items.push({ id: 'approved', text: t('todo.approved', { n: atLeast(approved.list.length, approved.more), amount: yuan(sum(approved.list)) }), href: '#/withdrawals?status=approved' });
  const failing = groups.groups.filter((g) => g.totals.failures > 0);
  if (failing.length)
    items.push({ id: 'groups', text: t('todo.groups', { n: count(failing.reduce((a, g) => a + g.totals.failures, 0)), groups: count(failing.length) }), href: '#/groups' });
  return items;
}

function renderTodo(box: HTMLElement, items: TodoItem[]): void {
  box.setAttribute('data-count', String(items.length));
  if (!items.length) {
    mount(box, h('p', { class: 'state empty', 'data-testid': 'todo-empty' }, t('todo.none')));
    return;
  }
  mount(box, h('ul', { class: 'todo' }, items.map((it) => h('li', null, h('a', { href: it.href, 'data-testid': `todo-${it.id}` }, it.text)))));
}

// The range form; refuse() shows why a range is not asked for, on the
// date inputs themselves.
function rangeForm(range: Range, metric: string): { el: HTMLElement; refuse: (why: string) => void } {
  const msg = h('span', { class: 'form-error', role: 'alert', id: 'range-error', 'data-testid': 'range-error' });
  const from = h('input', { type: 'date', id: 'range-from', value: range.from, required: true, 'data-testid': 'range-from', 'aria-describedby': 'range-error' });
  const to = h('input', { type: 'date', id: 'range-to', value: range.to, required: true, 'data-testid': 'range-to', 'aria-describedby': 'range-error' });
  const refuse = (why: string) => {
    msg.textContent = why;
    for (const i of [from, to]) i.setAttribute('aria-invalid', 'true');
  };
  const presets: Array<[Exclude<Preset, 'custom'>, MessageKey]> = [
    ['7', 'dash.preset7'],
    ['30', 'dash.preset30'],
    ['month', 'dash.presetMonth'],
  ];
  const el = h(
    'form',
    {
      class: 'range row card',
      'aria-label': t('dash.rangeLabel'),
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const why = rangeProblem(from.value, to.value);
        if (why) return refuse(why);
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
  return { el, refuse };
}

function metricPicker(range: Range, metric: string): HTMLElement {
  const sel = h(
    'select',
    { id: 'top-metric', 'data-testid': 'top-metric', onchange: (e: Event) => go(hrefOf(range, (e.target as HTMLSelectElement).value)) },
    (['commission', 'gmv', 'orders', 'clicks'] as const).map((m) => h('option', { value: m, selected: m === metric }, t(`metric.${m}`))),
  );
  return h('div', { class: 'row' }, h('label', { for: 'top-metric' }, t('dash.rankBy'), sel));
}

// One figure of the daily series: its name, its value in a day, how a table
// cell and an axis label show it.
interface Figure {
  label: MessageKey;
  of: (x: DayStats) => number;
  cell: (v: number) => ReturnType<typeof num>;
  axis: (v: number) => string;
  exact: (v: number) => string; // the tooltip's: money to the fen
}

const GMV: Figure = { label: 'dash.gmv', of: (x) => x.gmv, cell: money, axis: shortYuan, exact: yuan };
const COMMISSION: Figure = { label: 'dash.commission', of: (x) => x.commission, cell: money, axis: shortYuan, exact: yuan };
const ORDERS: Figure = { label: 'dash.orders', of: (x) => x.orders, cell: num, axis: count, exact: count };
const CLICKS: Figure = { label: 'dash.clicks', of: (x) => x.clicks, cell: num, axis: count, exact: count };

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
      categories: d.days.map((x) => shortDay(x.date)),
      series: [
        { name: t(bar.label), type: 'bar', data: d.days.map(bar.of) },
        { name: t(line.label), type: 'line', data: d.days.map(line.of), axis: 1 },
      ],
      format: [bar.axis, line.axis],
      exact: [bar.exact, line.exact],
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

// The funnel of the tracked links: clicks, unique clicks, the orders they
// led to.  Orders attributed otherwise had no click, so they stand apart.
function renderFunnel(box: HTMLElement, rates: HTMLElement, f: Funnel): void {
  const x = f.funnel;
  const c = f.conversion;
  const stages: Array<[string, number]> = [
    [t('funnel.clicks'), x.clicks],
    [t('funnel.unique'), x.unique_clicks],
    [t('funnel.linkOrders'), c.link_orders],
  ];
  const uniqueShare = x.clicks > 0 ? Math.floor((x.unique_clicks * 10000) / x.clicks) : null;
  const stepRates: Array<number | null> = [null, uniqueShare, x.unique_clicks > 0 ? c.link_order_per_unique_click_bps : null];
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
      h('div', null, h('dt', null, t('funnel.orderRate')), h('dd', { 'data-testid': 'rate-order' }, bps(c.link_order_per_unique_click_bps))),
      h('div', null, h('dt', null, t('funnel.otherOrders')), h('dd', { 'data-testid': 'rate-other' }, `${count(c.other_orders)} (${bps(c.other_share_bps)})`)),
      h('div', null, h('dt', null, t('funnel.allOrders')), h('dd', { 'data-testid': 'funnel-orders' }, count(x.orders))),
      h('div', null, h('dt', null, t('funnel.settledRate')), h('dd', { 'data-testid': 'rate-settled' }, bps(x.settled_per_order_bps))),
      h('div', null, h('dt', null, t('funnel.invalid')), h('dd', null, count(x.invalid_orders))),
      h('div', null, h('dt', null, t('funnel.settledCommission')), h('dd', null, yuan(x.settled_commission))),
    ),
    x.clicks === 0 ? h('p', { class: 'muted' }, t('funnel.noClicks')) : null,
  );
}

// A top list.  Its name column gives way (cut with an ellipsis, the whole
// name in a tooltip) so that the figures are never cut or wrapped.
function topTable(by: 'products' | 'members' | 'channels', top: Top): HTMLElement {
  if (!top.items.length) return empty(t('dash.topEmpty'));
  // the server names members and products (label); the key stays visible as a hint
  const keyCell = (key: string, label?: string) => {
    const name = by === 'members' ? (label ? `${label} (${key})` : key) : by === 'products' ? label || key : key;
    let el: ReturnType<typeof memberLink> | HTMLElement = name;
    if (by === 'members') el = memberLink(key, name);
    else if (by === 'products') {
      const i = key.indexOf(':');
      if (i > 0) el = productLink(key.slice(0, i), key.slice(i + 1), name);
    }
    return { v: h('span', { class: 'cut', title: name }, el), cls: 'name' };
  };
  const label = by === 'products' ? t('dash.topProducts') : by === 'members' ? t('dash.topMembers') : t('dash.topChannels');
  const box = table(
    label,
    ['#', t(`top.${by}`), { label: t('dash.commission'), num: true }, { label: t('dash.gmv'), num: true }, { label: t('dash.orders'), num: true }, { label: t('dash.clicks'), num: true }],
    top.items.map((it, i) => row([{ v: String(i + 1), num: true }, keyCell(it.key, it.label), money(it.commission), money(it.gmv), num(it.orders), num(it.clicks)], { 'data-key': it.key })),
  );
  box.classList.add('top-table');
  return box;
}
