// Orders: the list of order items (filters, sortable columns, pages, the
// server's CSV of the same filters) under a box that takes an order number,
// an item id or a product's link or sku and says which it found; an item's
// page shows its life (every status it went through) and its split with the
// reasons.
import { ApiError, enc, queryString } from '../lib/api';
import { empty, failure, h, mount, region, toast } from '../lib/dom';
import { bps, count, dateTime, isoDay, yuan } from '../lib/format';
import { t, tOr, type MessageKey } from '../lib/i18n';
import { recognise, type OrderItemPage, type OrderItemRow } from '../lib/order-items';
import { go } from '../lib/router';
import { downloadFile } from './csv';
import { explain, roleName } from './explain';
import { page } from './layout';
import { levelLabel, planVersion } from './plan-cache';
import { api } from './session';
import type { Item, OrderItems, Plan } from './types';
import { badge, card, facts, heading, itemLink, memberLink, money, productLink, row, showMore, table, unionName } from './ui';

const UNIONS = ['jd', 'taobao', 'pdd', 'own'];
const STATUSES = ['unpaid', 'paid', 'received', 'settled', 'invalid'];
const ATTRIBUTIONS = ['link', 'tag', 'binding', 'self_purchase', 'none'];
const FILTERS = ['from', 'to', 'union', 'status', 'member', 'attribution', 'group', 'product', 'sort', 'dir'] as const;
const SORTS = ['paid_at', 'amount', 'commission'] as const;
const PAGE = 50;

// What the order box found for a pasted text.
type Found =
  | { kind: 'order'; order: string; items: Item[] }
  | { kind: 'item'; item: Item }
  | { kind: 'product'; union: string | null; id: string; n: number }
  | { kind: 'none'; text: string }
  | { kind: 'url'; text: string };

async function lookup(text: string): Promise<Found> {
  const p = recognise(text);
  if (p.kind === 'unknown-url') return { kind: 'url', text };
  if (p.kind === 'product') {
    const r = await api.get<OrderItemPage>('/order-items', { product: `${p.union}:${p.id}`, limit: 1 });
    return { kind: 'product', union: p.union, id: p.id, n: r.items.length };
  }
  const v = p.text;
  const o = await api.get<OrderItems>('/orders', { order: v });
  if (o.items.length) return { kind: 'order', order: v, items: o.items };
  // an item id: the same text under each union (a miss is a 404)
  for (const u of UNIONS) {
    try {
      return { kind: 'item', item: await api.get<Item>(`/orders/${enc(u)}/${enc(v)}`) };
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
    }
  }
  // a product's sku, of whichever union sold it
  const r = await api.get<OrderItemPage>('/order-items', { product: v, limit: 1 });
  if (r.items.length) return { kind: 'product', union: null, id: v, n: 1 };
  return { kind: 'none', text: v };
}

function itemsTable(caption: string, items: Item[]): HTMLElement {
  return table(
    caption,
    [t('orders.item'), t('orders.product'), t('orders.status'), { label: t('orders.amount'), num: true }, { label: t('orders.commission'), num: true }, { label: t('orders.refunded'), num: true }, t('orders.paidAt'), t('orders.splitTo')],
    items.map((it) =>
      row(
        [
          itemLink(it.union, it.item),
          it.title ?? it.product ?? '—',
          badge(it.status),
          money(it.amount),
          money(it.commission),
          money(it.refunded),
          dateTime(it.paid_at),
          h('span', null, it.splits.filter((s) => s.member).map((s, i) => [i ? ', ' : '', memberLink(s.member)])),
        ],
        { 'data-item': `${it.union}/${it.item}` },
      ),
    ),
  );
}

// The found thing, in words, and what to do with it.
function foundView(f: Found, q: Record<string, string>): HTMLElement {
  const say = (key: MessageKey, vars: Record<string, string | number>) => h('p', { 'data-testid': 'lookup-found', 'data-kind': f.kind }, t(key, vars));
  switch (f.kind) {
    case 'order':
      return h('div', null, say('ol.foundOrder', { order: f.order, n: f.items.length }), itemsTable(t('orders.itemsOf', { order: f.order }), f.items));
    case 'item':
      return h('div', null, say('ol.foundItem', { item: f.item.item, union: unionName(f.item.union) }), itemsTable(t('item.title', { item: f.item.item }), [f.item]));
    case 'product': {
      const product = f.union ? `${f.union}:${f.id}` : f.id;
      const listed = q.product === product;
      return h(
        'div',
        null,
        say(f.n ? 'ol.foundProduct' : 'ol.foundProductNone', { product: f.union ? `${unionName(f.union)} ${f.id}` : f.id }),
        f.n && !listed ? h('a', { href: `#/orders${queryString({ ...q, product, order: null })}`, 'data-testid': 'lookup-list-product' }, t('ol.listProduct')) : null,
      );
    }
    case 'url':
      return say('ol.foundUrl', {});
    case 'none':
      return say('orders.none', { order: f.text });
  }
}

function attributionLabel(a: string): string {
  return tOr(`attribution.${a}`, a);
}

export function ordersPage(_p: Record<string, string>, query: URLSearchParams): void {
  const lookupText = (query.get('order') ?? '').trim();
  const q: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = (query.get(f) ?? '').trim();
    if (v) q[f] = v;
  }
  const main = page(t('nav.orders'));
  const orderInput = h('input', { id: 'order-no', type: 'search', value: lookupText, required: true, autocomplete: 'off', 'data-testid': 'order-no', placeholder: t('ol.lookupPlaceholder') });
  const unionSel = h(
    'select',
    { id: 'item-union', 'data-testid': 'item-union' },
    UNIONS.map((u) => h('option', { value: u }, unionName(u))),
  );
  const itemInput = h('input', { id: 'item-id', type: 'search', required: true, autocomplete: 'off', 'data-testid': 'item-id' });
  const results = h('div', { 'data-testid': 'order-results' });
  const lookupForm = h(
    'form',
    {
      class: 'row',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = orderInput.value.trim();
        if (v) go(`/orders${queryString({ ...q, order: v })}`);
      },
    },
    h('label', { for: 'order-no', class: 'grow' }, t('ol.lookupLabel'), orderInput),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'order-search' }, t('common.search')),
  );
  mount(
    main,
    heading(t('nav.orders'), t('orders.hint')),
    h(
      'div',
      { class: 'cols' },
      card(t('ol.byLookup'), null, lookupForm),
      card(
        t('orders.byItem'),
        null,
        h(
          'form',
          {
            class: 'row',
            onsubmit: (e: Event) => {
              e.preventDefault();
              const v = itemInput.value.trim();
              if (v) go(`/orders/${enc(unionSel.value)}/${enc(v)}`);
            },
          },
          h('label', { for: 'item-union' }, t('orders.union'), unionSel),
          h('label', { for: 'item-id', class: 'grow' }, t('orders.itemId'), itemInput),
          h('button', { type: 'submit', 'data-testid': 'item-open' }, t('orders.open')),
        ),
      ),
    ),
    lookupText ? card(t('ol.lookupOf', { text: lookupText }), 'lookup-card', results) : null,
    orderList(q, lookupText),
  );
  if (lookupText) void region(results, () => lookup(lookupText), (f) => foundView(f, q));
  else orderInput.focus();
}

// The filter bar, the export, the sortable table and its pages.
function orderList(q: Record<string, string>, lookupText: string): HTMLElement {
  const input = (name: string, type = 'text', attrs: Record<string, string> = {}) =>
    h('input', { id: `ol-${name}`, name, type, value: q[name] ?? '', autocomplete: 'off', 'data-testid': `ol-filter-${name}`, ...attrs });
  const from = input('from', 'date');
  const to = input('to', 'date');
  const member = input('member');
  const group = input('group', 'number', { min: '1', inputmode: 'numeric' });
  const product = input('product', 'text', { placeholder: 'jd:100012043978' });
  const union = h(
    'select',
    { id: 'ol-union', name: 'union', 'data-testid': 'ol-filter-union' },
    h('option', { value: '' }, t('ol.any')),
    UNIONS.map((u) => h('option', { value: u, selected: q.union === u }, unionName(u))),
  );
  const attribution = h(
    'select',
    { id: 'ol-attribution', name: 'attribution', 'data-testid': 'ol-filter-attribution' },
    h('option', { value: '' }, t('ol.any')),
    ATTRIBUTIONS.map((a) => h('option', { value: a, selected: q.attribution === a }, attributionLabel(a))),
  );
  const picked = new Set((q.status ?? '').split(',').filter(Boolean));
  const statusBoxes = STATUSES.map((s) => h('input', { type: 'checkbox', name: 'status', value: s, checked: picked.has(s), 'data-testid': `ol-status-${s}` }));
  const statusSet = h(
    'fieldset',
    { class: 'ol-status' },
    h('legend', null, t('orders.status')),
    STATUSES.map((s, i) => h('label', { class: 'check' }, statusBoxes[i], badge(s))),
  );
  const filterForm = h(
    'form',
    {
      class: 'row ol-filter',
      'data-testid': 'ol-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const next: Record<string, string> = {
          from: from.value,
          to: to.value,
          union: union.value,
          status: statusBoxes.filter((b) => b.checked).map((b) => b.value).join(','),
          member: member.value.trim(),
          attribution: attribution.value,
          group: group.value.trim(),
          product: product.value.trim(),
          sort: q.sort ?? '',
          dir: q.dir ?? '',
          order: lookupText,
        };
        go(`/orders${queryString(next)}`);
      },
    },
    h('label', { for: 'ol-from' }, t('ol.from'), from),
    h('label', { for: 'ol-to' }, t('ol.to'), to),
    h('label', { for: 'ol-union' }, t('orders.union'), union),
    statusSet,
    h('label', { for: 'ol-member' }, t('ol.member'), member),
    h('label', { for: 'ol-attribution' }, t('item.attribution'), attribution),
    h('label', { for: 'ol-group' }, t('ol.group'), group),
    h('label', { for: 'ol-product' }, t('orders.product'), product),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'ol-apply' }, t('ol.apply')),
    h('a', { href: '#/orders', class: 'link-button', 'data-testid': 'ol-clear' }, t('ol.clear')),
  );

  const listQuery: Record<string, string> = { ...q };
  const exportBtn = h('button', { type: 'button', 'data-testid': 'ol-export' }, t('ol.export'));
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    try {
      await downloadFile('/order-items', { ...listQuery, format: 'csv' }, `order-items-${isoDay(new Date())}.csv`, true);
      toast(t('ol.exported'));
    } catch (e) {
      toast(t('common.error', { message: e instanceof Error ? e.message : String(e) }), 'error');
    } finally {
      exportBtn.disabled = false;
    }
  });

  // headers: the three sortable ones are buttons (aria-sort says how it is sorted)
  const sort = (SORTS as readonly string[]).includes(q.sort ?? '') ? q.sort : 'paid_at';
  const dir = q.dir === 'asc' ? 'asc' : 'desc';
  const sortHead = (key: string, label: string) => {
    const on = sort === key;
    const nextDir = on && dir === 'desc' ? 'asc' : 'desc';
    return h(
      'th',
      { scope: 'col', class: key === 'paid_at' ? null : 'num', 'aria-sort': on ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          class: 'sort-head',
          'data-testid': `ol-sort-${key}`,
          onclick: () => go(`/orders${queryString({ ...q, sort: key, dir: nextDir, order: lookupText })}`),
        },
        label,
        h('span', { 'aria-hidden': 'true' }, on ? (dir === 'asc' ? ' ↑' : ' ↓') : ' ↕'),
      ),
    );
  };
  const plain = (label: string, num = false) => h('th', { scope: 'col', class: num ? 'num' : null }, label);
  const tbody = h('tbody');
  const tableEl = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('ol.title') },
    h(
      'table',
      { 'data-testid': 'ol-table', class: 'ol-table' },
      h('caption', { class: 'sr-only' }, t('ol.title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          sortHead('paid_at', t('orders.paidAt')),
          plain(t('orders.item')),
          plain(t('ol.titleCol')),
          plain(t('orders.status')),
          sortHead('amount', t('orders.amount')),
          sortHead('commission', t('orders.commission')),
          plain(t('ol.member')),
          plain(t('item.attribution')),
          plain(t('ol.group')),
          plain(t('ol.share'), true),
        ),
      ),
      tbody,
    ),
  );
  const addRows = (items: OrderItemRow[]) => {
    for (const it of items) {
      const open = () => go(`/orders/${enc(it.union)}/${enc(it.item)}`);
      tbody.append(
        row(
          [
            h('time', { datetime: it.paid_at ?? '' }, dateTime(it.paid_at)),
            h('span', null, itemLink(it.union, it.item), it.order ? h('div', { class: 'muted small' }, t('item.order', { order: it.order })) : null),
            h('span', { class: 'ol-title' }, it.title || it.product || '—'),
            badge(it.status),
            money(it.amount, 'ol-amount'),
            { v: h('span', null, yuan(it.commission), h('div', { class: 'muted small', 'data-testid': 'ol-kind' }, t(`ol.kind.${it.commission_kind}`))), num: true, testid: 'ol-commission' },
            it.member ? memberLink(it.member) : h('span', { class: 'muted' }, t('attribution.none')),
            attributionLabel(it.attribution),
            it.group ? h('a', { href: `#/groups/${it.group}` }, `#${it.group}`) : '—',
            money(it.share, 'ol-share'),
          ],
          { 'data-item': `${it.union}/${it.item}`, class: 'clickable', 'data-testid': 'ol-row' },
        ),
      );
      const tr = tbody.lastElementChild as HTMLTableRowElement;
      // the whole row opens the item's explanation; its link stays the keyboard's way
      tr.addEventListener('click', (e) => {
        if (!(e.target instanceof Element && e.target.closest('a, button'))) open();
      });
    }
  };
  const more = h('div', { class: 'more' });
  const listBox = h('div', { 'data-testid': 'ol-list' });
  const loadPage = async (before: string | null): Promise<OrderItemPage> => {
    const p = await api.get<OrderItemPage>('/order-items', { ...listQuery, limit: PAGE, before });
    addRows(p.items);
    if (p.next) {
      const cursor = p.next;
      showMore(more, 'ol-more', () => loadPage(cursor));
    } else mount(more);
    return p;
  };
  mount(listBox, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  loadPage(null).then(
    (p) => {
      mount(listBox, p.items.length ? tableEl : empty(t('ol.empty')));
      listBox.setAttribute('data-ready', 'true');
    },
    (e) => mount(listBox, failure(e)),
  );
  return h(
    'section',
    { class: 'card', 'data-testid': 'order-list' },
    h('h2', null, t('ol.title')),
    h('p', { class: 'muted small' }, t('ol.hint')),
    filterForm,
    h('div', { class: 'row actions' }, exportBtn, h('span', { class: 'muted small' }, t('ol.exportLimit'))),
    listBox,
    more,
  );
}

export function itemPage(p: Record<string, string>): void {
  const { union, item } = p;
  const main = page(`${union} ${item}`);
  const head = h('div', null, heading(t('item.title', { item })));
  const body = h('div', { 'data-testid': 'item-page' });
  mount(main, head, body);
  void region(
    body,
    async () => {
      const it = await api.get<Item>(`/orders/${enc(union)}/${enc(item)}`);
      // the plan the item was split under, for the reasons (not essential)
      const plan = it.plan_version ? await planVersion(it.plan_version).catch(() => null) : null;
      return { it, plan };
    },
    ({ it, plan }) => {
      mount(head, heading(it.title || t('item.title', { item })), h('p', { class: 'muted' }, `${unionName(it.union)} · ${it.item}`, it.order ? [' · ', h('a', { href: `#/orders?order=${enc(it.order)}` }, t('item.order', { order: it.order }))] : null));
      return [card(null, 'item-facts', itemFacts(it)), card(t('item.splits'), 'item-splits-card', splitsView(it, plan)), card(t('item.life'), 'item-life', lifeView(it))];
    },
  );
}

function itemFacts(it: Item): HTMLElement {
  return facts([
    [t('orders.status'), badge(it.status), 'item-status'],
    [t('orders.product'), it.product ? productLink(it.union, it.product, it.product) : '—'],
    [t('orders.amount'), yuan(it.amount), 'item-amount'],
    [t('orders.commission'), yuan(it.commission), 'item-commission'],
    [t('orders.refunded'), yuan(it.refunded)],
    [t('item.quantity'), count(it.quantity)],
    [t('item.buyer'), it.buyer || '—'],
    [t('item.attribution'), it.attribution ? attributionName(it.attribution) : '—'],
    [t('item.channel'), it.channel || '—'],
    [t('item.link'), it.link ? h('code', null, it.link) : '—'],
    [t('orders.paidAt'), dateTime(it.paid_at)],
    [t('item.settledAt'), dateTime(it.settled_at)],
    [t('item.availableAt'), dateTime(it.available_at)],
    [t('item.modifiedAt'), dateTime(it.modified_at)],
  ]);
}

function attributionName(a: string): string {
  const k = `attribution.${a}`;
  return tOr(k, a);
}

function splitsView(it: Item, plan: Plan | null): Array<HTMLElement | null> {
  const lines = [...it.splits].sort((a, b) => a.tier - b.tier);
  const shared = lines.reduce((s, l) => s + l.amount, 0);
  const version = it.plan_version;
  const head = h(
    'p',
    { class: 'muted' },
    version ? t('item.planUsed', { version }) : t('item.noPlan'),
    version ? [' ', h('a', { href: `#/plans?version=${version}`, 'data-testid': 'item-plan-link' }, t('item.seePlan', { version }))] : null,
    plan ? ` · ${t('item.planMode', { mode: t(`mode.${plan.mode}`) })}` : null,
    it.self_purchase ? ` · ${t('item.selfPurchase')}` : null,
  );
  if (!lines.length)
    return [head, empty(it.status === 'invalid' ? t('item.noSplitsInvalid') : t('item.noSplits')), h('p', null, t('item.platformShare'), ': ', h('strong', { 'data-testid': 'item-platform' }, yuan(it.platform_share)))];
  const rows = lines.map((l) =>
    row(
      [
        String(l.tier),
        l.member ? memberLink(l.member) : '—',
        levelLabel(plan, l.level),
        h('span', null, roleName(l.role)),
        { v: bps(l.rate_bps), num: true },
        money(l.amount, 'split-amount'),
        l.state ? badge(l.state, 'state') : '—',
        h('span', { class: 'why' }, explain(l, lines, plan, it.commission)),
      ],
      { 'data-member': l.member ?? null, 'data-tier': String(l.tier) },
    ),
  );
  const platform = it.platform_share;
  rows.push(
    row(
      [
        '—',
        t('item.platform'),
        '',
        '',
        { v: platform !== undefined && it.commission > 0 ? bps(Math.round((platform * 10000) / it.commission)) : '—', num: true },
        money(platform, 'item-platform'),
        '',
        h('span', { class: 'why' }, t('item.platformWhy', { min: plan ? bps(plan.platform_min_bps ?? 0) : '—' })),
      ],
      { class: 'platform-row' },
    ),
  );
  const check =
    platform !== undefined
      ? h(
          'p',
          { class: shared + platform === it.commission ? 'muted' : 'neg', 'data-testid': 'item-sum' },
          t('item.sum', { shared: yuan(shared), platform: yuan(platform), total: yuan(shared + platform), commission: yuan(it.commission) }),
        )
      : null;
  return [
    head,
    table(
      t('item.splits'),
      [t('split.tier'), t('split.member'), t('split.level'), t('split.role'), { label: t('split.rate'), num: true }, { label: t('split.amount'), num: true }, t('split.state'), t('split.why')],
      rows,
      'item-splits',
    ),
    check,
  ];
}

function lifeView(it: Item): HTMLElement {
  const events = it.events;
  if (!events) {
    // an older server: what the item itself tells
    const steps: Array<[string, string | null | undefined]> = [
      ['paid', it.paid_at],
      ['settled', it.settled_at],
    ];
    return h(
      'div',
      null,
      h('p', { class: 'muted' }, t('item.lifeUnknown')),
      h('ol', { class: 'timeline' }, steps.filter(([, at]) => at).map(([s, at]) => h('li', null, badge(s), ' ', dateTime(at)))),
    );
  }
  if (!events.length) return empty(t('item.noEvents'));
  return h(
    'ol',
    { class: 'timeline', 'data-testid': 'item-events' },
    events.map((e, i) => {
      const prev = i > 0 ? events[i - 1].commission : null;
      return h(
        'li',
        { 'data-status': e.status },
        h('div', null, badge(e.status), ' ', h('strong', null, dateTime(e.modified_at))),
        h(
          'div',
          { class: 'muted small' },
          t('item.eventCommission', { commission: yuan(e.commission) }),
          prev !== null && prev !== e.commission ? h('span', { class: e.commission < prev ? 'neg' : 'pos' }, ` (${yuan(e.commission - prev, { sign: true })})`) : null,
          ' · ',
          t('item.appliedAt', { at: dateTime(e.applied_at) }),
        ),
      );
    }),
  );
}
