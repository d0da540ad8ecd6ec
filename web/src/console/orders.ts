// Orders: look up by order number or by union + item; an item's page shows
// its life (every status it went through) and its split with the reasons.
import { enc } from '../lib/api';
import { empty, h, mount, region } from '../lib/dom';
import { bps, count, dateTime, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { explain, roleName } from './explain';
import { page } from './layout';
import { levelLabel, planVersion } from './plan-cache';
import { api } from './session';
import type { Item, OrderItems, Plan } from './types';
import { badge, card, facts, heading, itemLink, memberLink, money, productLink, row, searchForm, table, unionName } from './ui';

const UNIONS = ['jd', 'taobao', 'pdd', 'own'];

export function ordersPage(_p: Record<string, string>, q: URLSearchParams): void {
  const order = (q.get('order') ?? '').trim();
  const main = page(t('nav.orders'));
  const orderInput = h('input', { id: 'order-no', type: 'search', value: order, required: true, autocomplete: 'off', 'data-testid': 'order-no' });
  const unionSel = h(
    'select',
    { id: 'item-union', 'data-testid': 'item-union' },
    UNIONS.map((u) => h('option', { value: u }, unionName(u))),
  );
  const itemInput = h('input', { id: 'item-id', type: 'search', required: true, autocomplete: 'off', 'data-testid': 'item-id' });
  const results = h('div', { 'data-testid': 'order-results' });
  mount(
    main,
    heading(t('nav.orders'), t('orders.hint')),
    h(
      'div',
      { class: 'cols' },
      card(
        t('orders.byOrder'),
        null,
        searchForm('row', orderInput, t('orders.orderNo'), 'order-search', (v) => `/orders?order=${enc(v)}`),
      ),
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
    order ? card(t('orders.itemsOf', { order }), null, results) : null,
  );
  if (!order) {
    orderInput.focus();
    return;
  }
  void region(
    results,
    () => api.get<OrderItems>('/orders', { order }),
    (r) => {
      if (!r.items.length) return empty(t('orders.none', { order }));
      return table(
        t('orders.itemsOf', { order }),
        [t('orders.item'), t('orders.product'), t('orders.status'), { label: t('orders.amount'), num: true }, { label: t('orders.commission'), num: true }, { label: t('orders.refunded'), num: true }, t('orders.paidAt'), t('orders.splitTo')],
        r.items.map((it) =>
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
    },
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
