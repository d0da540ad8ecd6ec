// 我的订单: the order items that pay the member (its own and its team's),
// each with its status in plain words and the member's own share, estimated
// until the union settles it; a strip of today / yesterday / this month /
// last month (counts and estimated income) that also picks the days listed.
import { h, mount } from '../lib/dom';
import { count, dateTime, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import type { OrderItemPage, OrderItemRow } from '../lib/order-items';
import { go } from '../lib/router';
import { screen } from './layout';
import { api, myId } from './session';
import { pagedList, show, word } from './ui';

interface Totals {
  items: number;
  share: number;
}

type Period = 'all' | 'today' | 'yesterday' | 'month' | 'lastMonth';
const PERIODS: Period[] = ['today', 'yesterday', 'month', 'lastMonth'];
// the items that earn: an unpaid or invalid one brings nothing
const EARNING = 'paid,received,settled';

// The API's days are Beijing days, whatever the phone's time zone.
function beijingToday(): { y: number; m: number; d: number } {
  const b = new Date(Date.now() + 8 * 3600_000);
  return { y: b.getUTCFullYear(), m: b.getUTCMonth(), d: b.getUTCDate() };
}

function day(y: number, m: number, d: number): string {
  const x = new Date(Date.UTC(y, m, d));
  return x.toISOString().slice(0, 10);
}

export function periodRange(p: Period): { from?: string; to?: string } {
  if (p === 'all') return {};
  const { y, m, d } = beijingToday();
  switch (p) {
    case 'today':
      return { from: day(y, m, d), to: day(y, m, d) };
    case 'yesterday':
      return { from: day(y, m, d - 1), to: day(y, m, d - 1) };
    case 'month':
      return { from: day(y, m, 1), to: day(y, m, d) };
    case 'lastMonth':
      return { from: day(y, m - 1, 1), to: day(y, m, 0) };
  }
}

export function myOrdersView(_p: Record<string, string>, query: URLSearchParams): void {
  const asked = query.get('period') as Period | null;
  const period: Period = asked && (PERIODS as string[]).includes(asked) ? asked : 'all';
  const main = screen({ title: t('myorders.title'), tab: 'earnings', back: '/earnings' });
  const strip = h('div', { class: 'p-tiles p-period-strip', role: 'group', 'aria-label': t('myorders.periods'), 'data-testid': 'myorders-strip' });
  const range = periodRange(period);

  // one tile a period: a button that lists its days (again: all of them)
  const tiles = PERIODS.map((p) => {
    const figures = h('div', { class: 'p-tile-value' }, '…');
    const b = h(
      'button',
      {
        type: 'button',
        class: 'p-tile p-period',
        'aria-pressed': String(p === period),
        'data-testid': `period-${p}`,
        onclick: () => go(p === period ? '/my-orders' : `/my-orders?period=${p}`),
      },
      h('div', { class: 'p-tile-label' }, tOr(`myorders.${p}`, p)),
      figures,
    );
    void show(
      figures,
      () => api.get<Totals>('/order-items/totals', { ...periodRange(p), status: EARNING }),
      (s) => [
        h('span', { 'data-testid': `period-${p}-orders` }, t('myorders.count', { n: count(s.items) })),
        h('div', { class: 'p-tile-hint', 'data-testid': `period-${p}-share` }, t('myorders.estimated', { amount: yuan(s.share) })),
      ],
    );
    return b;
  });
  mount(strip, tiles);

  const note = h(
    'p',
    { class: 'muted p-range', 'data-testid': 'myorders-range' },
    range.from ? t('myorders.listing', { period: tOr(`myorders.${period}`, period), from: range.from, to: range.to ?? '' }) : t('myorders.listingAll'),
  );
  main.append(
    strip,
    note,
    pagedList<OrderItemRow>({
      load: async (before) => {
        const r = await api.get<OrderItemPage>('/order-items', { ...range, limit: 20, before });
        return { items: r.items, next: r.next };
      },
      row: orderRow,
      emptyText: period === 'all' ? t('myorders.none') : t('myorders.noneInPeriod'),
      testid: 'myorders',
    }),
  );
}

function orderRow(it: OrderItemRow): HTMLElement {
  const settled = it.status === 'settled';
  const lost = it.status === 'invalid';
  const mine = it.member === myId();
  return h(
    'li',
    { class: 'p-row', 'data-testid': 'myorder', 'data-item': `${it.union}/${it.item}`, 'data-status': it.status },
    h(
      'div',
      { class: 'p-row-main' },
      h('div', { class: 'p-row-title', 'data-testid': 'myorder-title' }, it.title || it.product || t('myorders.untitled')),
      h(
        'div',
        { class: 'p-row-sub' },
        h('span', { class: `p-status p-status-${it.status}`, 'data-testid': 'myorder-status' }, word('ostatus', it.status)),
        ` · ${word('union', it.union)}`,
        mine || !it.member ? '' : ` · ${t('myorders.byTeam', { member: it.member })}`,
      ),
      h('div', { class: 'p-row-sub muted' }, it.paid_at ? t('myorders.paidAt', { at: dateTime(it.paid_at) }) : t('myorders.notPaid')),
    ),
    h(
      'div',
      { class: `p-row-amount num ${lost ? 'muted' : 'pos'}` },
      h('span', { 'data-testid': 'myorder-share' }, yuan(it.share)),
      h('div', { class: 'p-row-note', 'data-testid': 'myorder-kind' }, lost ? t('myorders.kindLost') : settled ? t('myorders.kindActual') : t('myorders.kindEstimated')),
    ),
  );
}
