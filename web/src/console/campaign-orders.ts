// Campaign orders (活动订单): the orders of the head's campaign products the
// unions reported, with his service fee (estimated, settled, clawed back),
// filtered by campaign, merchant, channel, month or paid days, union, kind
// and status in the address; totals over the same filters; page by page;
// the server's CSV of the same filters.
import { queryString } from '../lib/api';
import type { components } from '../lib/api-types';
import { empty, errorText, failure, h, mount, toast } from '../lib/dom';
import { count, dateTime, isoDay, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import './campaign-orders-messages';
import { downloadFile } from './csv';
import { page } from './layout';
import { api } from './session';
import { badge, card, heading, itemLink, money, row, showMore, table, unionName } from './ui';

type CampaignOrderRow = components['schemas']['CampaignOrderRow'];
type CampaignOrderPage = components['schemas']['CampaignOrderPage'];
type CampaignOrderTotals = components['schemas']['CampaignOrderTotals'];

const FILTERS = ['campaign', 'merchant', 'channel', 'month', 'from', 'to', 'union', 'head', 'status'] as const;
const UNIONS = ['jd', 'taobao', 'pdd'];
const STATUSES = ['unpaid', 'paid', 'received', 'settled', 'invalid'];
const PAGE = 50;

function filterForm(q: Record<string, string>): HTMLFormElement {
  const input = (name: string, type = 'text', extra: Record<string, string> = {}) =>
    h('input', { id: `co-${name}`, name, type, value: q[name] ?? '', autocomplete: 'off', 'data-testid': `co-filter-${name}`, ...extra });
  const select = (name: string, options: Array<[string, string]>) =>
    h(
      'select',
      { id: `co-${name}`, name, 'data-testid': `co-filter-${name}` },
      options.map(([v, label]) => h('option', { value: v, selected: (q[name] ?? '') === v }, label)),
    );
  const fields: Record<string, HTMLInputElement | HTMLSelectElement> = {
    campaign: input('campaign', 'number', { min: '1' }),
    merchant: input('merchant', 'number', { min: '1' }),
    channel: input('channel', 'number', { min: '1' }),
    month: input('month', 'month'),
    from: input('from', 'date'),
    to: input('to', 'date'),
    union: select('union', [['', t('co.any')], ...UNIONS.map((u): [string, string] => [u, unionName(u)])]),
    head: select('head', [
      ['', t('co.kind.any')],
      ['true', t('co.kind.head')],
      ['false', t('co.kind.own')],
    ]),
    status: select('status', [['', t('co.any')], ...STATUSES.map((s): [string, string] => [s, t(`status.${s}` as 'status.paid')])]),
  };
  const labels: Record<string, string> = {
    campaign: t('co.campaign'),
    merchant: t('co.merchant'),
    channel: t('co.channel'),
    month: t('co.month'),
    from: t('co.from'),
    to: t('co.to'),
    union: t('co.union'),
    head: t('co.kind'),
    status: t('co.status'),
  };
  return h(
    'form',
    {
      class: 'row co-filter',
      'data-testid': 'co-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        for (const f of FILTERS) if (fields[f].value.trim()) next[f] = fields[f].value.trim();
        go(`/campaign-orders${queryString(next)}`);
      },
    },
    FILTERS.map((f) => h('label', { for: `co-${f}` }, labels[f], fields[f])),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'co-apply' }, t('co.apply')),
    h('a', { href: '#/campaign-orders', class: 'link-button' }, t('co.clear')),
  );
}

function totalsView(tot: CampaignOrderTotals): HTMLElement {
  const fact = (key: Parameters<typeof t>[0], v: string, testid: string) => h('div', { class: 'fact' }, h('dt', null, t(key)), h('dd', { 'data-testid': testid }, v));
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'co-totals' },
    fact('co.orders', count(tot.orders), 'co-total-orders'),
    fact('co.gmv', yuan(tot.gmv), 'co-total-gmv'),
    fact('co.feeEstimated', yuan(tot.fee_estimated), 'co-total-estimated'),
    fact('co.feeSettled', yuan(tot.fee_settled), 'co-total-settled'),
    fact('co.feeClawed', yuan(tot.fee_clawed), 'co-total-clawed'),
  );
}

function orderRow(o: CampaignOrderRow): HTMLTableRowElement {
  const unlinked = h('span', { class: 'muted' }, t('co.unlinked'));
  return row(
    [
      h('span', null, itemLink(o.union, o.item, o.item), o.head ? null : h('div', { class: 'muted small' }, t('co.kind.own'))),
      h('span', null, unionName(o.union), ' ', o.product),
      o.campaign !== null ? String(o.campaign) : unlinked,
      o.channel !== null ? String(o.channel) : o.channel_ref ? h('span', { class: 'muted', title: o.channel_kind }, o.channel_ref) : '—',
      badge(o.status),
      dateTime(o.paid_at),
      money(o.amount),
      money(o.fee_amount, 'co-fee'),
      h('span', { 'data-testid': 'co-bucket', 'data-bucket': o.fee_bucket }, tOr(`co.bucket.${o.fee_bucket}`, o.fee_bucket), ' · ', tOr(`co.feeSource.${o.fee_source}`, o.fee_source)),
    ],
    { 'data-item': `${o.union}/${o.item}` },
  );
}

export function campaignOrdersPage(_p: Record<string, string>, query: URLSearchParams): void {
  const main = page(t('nav.campaignOrders'));
  const q: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = (query.get(f) ?? '').trim();
    if (v) q[f] = v;
  }
  const exportBtn = h('button', { type: 'button', 'data-testid': 'co-export' }, t('co.export'));
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    try {
      await downloadFile('/campaign-orders', { ...q, format: 'csv' }, `campaign-orders-${isoDay(new Date())}.csv`, true);
      toast(t('co.exported'));
    } catch (e) {
      toast(t('common.error', { message: errorText(e) }), 'error');
    } finally {
      exportBtn.disabled = false;
    }
  });
  const totalsBox = h('div', { 'data-testid': 'co-totals-box' });
  const listBox = h('div', { 'data-testid': 'co-list' });
  const more = h('div', { class: 'more' });
  const tbody = h('tbody');
  const tableEl = table(
    t('co.list'),
    [t('co.item'), t('co.product'), t('co.campaign'), t('co.channel'), t('co.status'), t('co.paidAt'), { label: t('co.amount'), num: true }, { label: t('co.fee'), num: true }, t('co.bucket')],
    [],
    'co-table',
  );
  tableEl.querySelector('tbody')?.replaceWith(tbody);

  const loadPage = async (before: string | null): Promise<CampaignOrderPage> => {
    const p = await api.get<CampaignOrderPage>('/campaign-orders', { ...q, limit: PAGE, before });
    for (const o of p.orders) tbody.append(orderRow(o));
    if (p.next) {
      const cursor = p.next;
      showMore(more, 'co-more', () => loadPage(cursor));
    } else mount(more);
    return p;
  };

  mount(
    main,
    heading(t('nav.campaignOrders'), t('co.hint')),
    h('section', { class: 'card' }, filterForm(q)),
    card(t('co.totals'), 'co-totals-card', totalsBox),
    h('section', { class: 'card' }, h('div', { class: 'row actions' }, exportBtn), h('div', { class: 'table-scroll' }, listBox), more),
  );
  mount(totalsBox, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  mount(listBox, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  api.get<CampaignOrderTotals>('/campaign-orders/totals', q).then(
    (tot) => mount(totalsBox, totalsView(tot)),
    (e) =>
      mount(
        totalsBox,
        failure(e, () => campaignOrdersPage(_p, query)),
      ),
  );
  loadPage(null).then(
    (p) => {
      mount(listBox, p.orders.length ? tableEl : empty(t('co.empty')));
      listBox.setAttribute('data-ready', 'true');
    },
    (e) =>
      mount(
        listBox,
        failure(e, () => campaignOrdersPage(_p, query)),
      ),
  );
}
