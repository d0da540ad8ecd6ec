// My earnings: the five balances with what each means, this month's figures,
// and the history in plain words (newest first, "load more"): "订单 ¥123.00
// 预估佣金 · the product's title · 11-03" rather than account moves.
import { enc } from '../lib/api';
import { h } from '../lib/dom';
import { count, date, dateTime, isoDay, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { screen } from './layout';
import { api, myId } from './session';
import type { Balance, LedgerEntry, LedgerPage, Summary } from './types';
import './feed-messages';
import { pagedList, section, show, tile, word } from './ui';

const OTHER_BALANCES = ['pending', 'frozen', 'withdrawing', 'paid'] as const;

export function earningsView(): void {
  const main = screen({ title: t('tab.earnings'), tab: 'earnings' });
  const me = enc(myId());
  const balance = h('div');
  const month = h('div');
  main.append(
    balance,
    h(
      'a',
      { class: 'p-row p-row-link p-card-link', href: '#/my-orders', 'data-testid': 'go-my-orders' },
      h('div', { class: 'p-row-main' }, h('div', { class: 'p-row-title' }, t('myorders.open')), h('div', { class: 'p-row-sub muted' }, t('myorders.openHint'))),
      h('span', { 'aria-hidden': 'true' }, '›'),
    ),
    section(t('earnings.month'), month),
    section(
      t('earnings.history'),
      pagedList<LedgerEntry>({
        load: async (before) => {
          const r = await api.get<LedgerPage>(`/members/${me}/ledger`, { limit: 20, before });
          return { items: r.entries, next: r.next };
        },
        row: ledgerRow,
        emptyText: t('earnings.noHistory'),
        testid: 'ledger',
      }),
    ),
  );
  void show(balance, () => api.get<Balance>(`/members/${me}/balance`), balances);

  const today = new Date();
  const from = isoDay(new Date(today.getFullYear(), today.getMonth(), 1));
  const to = isoDay(today);
  void show(
    month,
    () => api.get<Summary>('/reports/summary', { from, to }),
    (s) => [
      h('p', { class: 'p-range muted' }, t('earnings.range', { from: date(from), to: date(to) })),
      h(
        'div',
        { class: 'p-tiles' },
        tile(t('earnings.orders'), count(s.totals.orders), { testid: 'month-orders' }),
        tile(t('earnings.gmv'), yuan(s.totals.gmv), { testid: 'month-gmv' }),
        tile(t('earnings.commission'), yuan(s.totals.commission), { testid: 'month-commission', hint: t('earnings.commissionHint') }),
        tile(t('earnings.clicks'), count(s.totals.clicks), { testid: 'month-clicks' }),
      ),
    ],
  );
}

function balances(b: Balance): HTMLElement {
  return h(
    'section',
    { class: 'p-section', 'aria-label': t('earnings.balances') },
    h(
      'div',
      { class: 'p-hero' },
      h('div', { class: 'p-hero-label' }, t('balance.available')),
      h('div', { class: `p-hero-value ${b.available < 0 ? 'neg' : ''}`, 'data-testid': 'balance-available' }, yuan(b.available)),
      h('div', { class: 'p-hero-hint' }, t(b.available < 0 ? 'balance.negative' : 'balance.availableHint')),
      h('a', { class: 'p-button', href: '#/withdraw', 'data-testid': 'go-withdraw' }, t('earnings.withdraw')),
    ),
    h(
      'div',
      { class: 'p-tiles' },
      OTHER_BALANCES.map((k) => tile(t(`balance.${k}`), yuan(b[k]), { testid: `balance-${k}`, hint: t(`balance.${k}Hint`) })),
    ),
  );
}

// What the ledger entry's item carries since the ledger names it.
type ItemEntry = LedgerEntry & { item?: { union: string; item: string; product?: string; title?: string; amount?: number } };

// Entries of an order item in words of the order; the withdrawal's in
// words of the withdrawal.
const ITEM_WORDS = new Set(['accrue', 'adjust', 'reverse', 'freeze', 'unfreeze', 'release', 'clawback', 'topup']);

// "11-03": the day is enough in a list that runs newest first.
function monthDay(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function what(e: ItemEntry): string {
  if (e.item && ITEM_WORDS.has(e.type)) {
    if (e.type === 'accrue') return e.item.amount ? t('pe.accrue', { amount: yuan(e.item.amount) }) : t('pe.accrueNoAmount');
    return tOr(`pe.${e.type}`, e.type);
  }
  return word('ledger', e.type);
}

function ledgerRow(e: ItemEntry): HTMLElement {
  const moved = e.change !== 0;
  const it = e.item;
  const about = it
    ? it.title || t('pe.item', { union: word('union', it.union), item: it.item })
    : e.withdrawal
      ? t('ledger.withdrawal', { id: e.withdrawal })
      : '';
  return h(
    'li',
    { class: 'p-row', 'data-testid': 'ledger-entry', 'data-type': e.type },
    h(
      'div',
      { class: 'p-row-main' },
      h('div', { class: 'p-row-title', 'data-testid': 'ledger-what' }, what(e)),
      about ? h('div', { class: 'p-row-sub p-row-item', 'data-testid': 'ledger-about' }, about) : null,
      h(
        'div',
        { class: 'p-row-sub muted' },
        h('time', { datetime: e.at ?? '', title: dateTime(e.at) }, monthDay(e.at)),
        it ? ` · ${word('union', it.union)}` : '',
      ),
    ),
    h(
      'div',
      { class: `p-row-amount num ${e.change > 0 ? 'pos' : e.change < 0 ? 'neg' : 'muted'}`, 'data-testid': 'ledger-amount' },
      moved ? yuan(e.change, { sign: true }) : yuan(e.amount),
      // a move between the member's own balances: where the money is now
      moved ? null : h('div', { class: 'p-row-note' }, t('pe.nowIn', { balance: word('balance', e.to) })),
    ),
  );
}
