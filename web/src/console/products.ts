// Products: search the library, the products most worth pushing (with the
// reasons), and a product's page: price history, score, substitutes, and
// copy text with a chosen member's tracking link (the union's converted
// link: short link, target, expiry, 淘口令, demo mark) or invite code.
import { ApiError, enc } from '../lib/api';
import { copyText, empty, errorText, h, mount, region, toast } from '../lib/dom';
import type { Child } from '../lib/dom';
import { bps, count, date, dateTime, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { reasonText } from '../lib/reasons';
import { go } from '../lib/router';
import { chartBox, fill } from './chart';
import { page } from './layout';
import { api } from './session';
import type { CopyText, LinkDoc, PriceHistory, Product, ProductDetail, ProductSearch, ProductTop } from './types';
import { card, facts, heading, money, num, productLink, row, table, unionName } from './ui';

const SORTS = ['popular', 'relevance', 'sales', 'commission', 'price'] as const;
const PER_PAGE = 20;

function tabs(active: 'search' | 'top'): HTMLElement {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('products.views') },
    h('a', { href: '#/products', 'aria-current': active === 'search' ? 'page' : null, 'data-testid': 'products-tab-search' }, t('products.search')),
    h('a', { href: '#/products/top', 'aria-current': active === 'top' ? 'page' : null, 'data-testid': 'products-tab-top' }, t('products.top')),
  );
}

export function productsPage(_p: Record<string, string>, q: URLSearchParams): void {
  const text = (q.get('q') ?? '').trim();
  const sort = (SORTS as readonly string[]).includes(q.get('sort') ?? '') ? (q.get('sort') as string) : 'popular';
  const pageNo = Math.max(1, Number(q.get('page') ?? '1') || 1);
  const main = page(t('nav.products'));
  const input = h('input', { id: 'product-q', type: 'search', value: text, autocomplete: 'off', 'data-testid': 'product-q' });
  const sortSel = h('select', { id: 'product-sort', 'data-testid': 'product-sort' }, SORTS.map((s) => h('option', { value: s, selected: s === sort }, t(`sort.${s}`))));
  const results = h('div', { 'data-testid': 'product-results' });
  const href = (p: number, s = sort, qq = text) => `/products?${new URLSearchParams({ ...(qq ? { q: qq } : {}), sort: s, page: String(p) }).toString()}`;
  mount(
    main,
    heading(t('nav.products')),
    tabs('search'),
    h(
      'form',
      {
        class: 'row card',
        role: 'search',
        onsubmit: (e: Event) => {
          e.preventDefault();
          go(href(1, sortSel.value, input.value.trim()));
        },
      },
      h('label', { for: 'product-q', class: 'grow' }, t('products.query'), input),
      h('label', { for: 'product-sort' }, t('products.sort'), sortSel),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'product-search' }, t('common.search')),
    ),
    card(null, null, results),
  );
  if (!text) {
    // the library is searched by words; without them, the list worth pushing
    mount(results, h('div', { class: 'state empty' }, t('products.typeWords'), ' ', h('a', { href: '#/products/top' }, t('products.top'))));
    input.focus();
    return;
  }
  void region(
    results,
    () => api.get<ProductSearch>('/products', { q: text, sort, page: pageNo, per_page: PER_PAGE }),
    (r) => {
      if (!r.items.length) return empty(t('products.none', { q: text }));
      const pages = Math.max(1, Math.ceil(r.total / r.per_page));
      return [
        h('p', { class: 'muted', 'data-testid': 'product-total' }, t('products.total', { n: count(r.total), page: r.page, pages: count(pages) })),
        productTable(r.items, t('products.results')),
        h(
          'div',
          { class: 'row pager' },
          r.page > 1 ? h('a', { href: `#${href(r.page - 1)}`, class: 'button' }, t('common.prev')) : null,
          r.page < pages ? h('a', { href: `#${href(r.page + 1)}`, class: 'button', 'data-testid': 'product-next' }, t('common.next')) : null,
        ),
      ];
    },
  );
}

function productTable(items: Product[], caption: string): HTMLElement {
  return table(
    caption,
    [t('product.title'), t('product.union'), { label: t('product.finalPrice'), num: true }, { label: t('product.price'), num: true }, { label: t('product.commission'), num: true }, { label: t('product.rate'), num: true }, { label: t('product.sales'), num: true }],
    items.map((p) =>
      row(
        [productLink(p.union, p.product, p.title), unionName(p.union), money(p.final_price), money(p.price), money(p.commission), { v: bps(p.commission_bps), num: true }, num(p.sales)],
        { 'data-product': `${p.union}:${p.product}` },
      ),
    ),
  );
}

export function productsTop(): void {
  const main = page(t('products.top'));
  const list = h('div', { 'data-testid': 'products-top' });
  mount(main, heading(t('nav.products'), t('products.topHint')), tabs('top'), card(null, null, list));
  void region(
    list,
    () => api.get<ProductTop>('/products/top', { limit: 30 }),
    (r) =>
      r.items.length
        ? h(
            'ol',
            { class: 'top-list' },
            r.items.map((x) =>
              h(
                'li',
                { 'data-product': `${x.product.union}:${x.product.product}` },
                h(
                  'div',
                  { class: 'top-line' },
                  h('span', { class: 'score', title: t('product.score') }, x.score.points),
                  productLink(x.product.union, x.product.product, x.product.title),
                  h('span', { class: 'muted' }, ` ${unionName(x.product.union)} · ${yuan(x.product.final_price)} · ${t('product.earn', { amount: yuan(x.product.commission) })}`),
                ),
                h('ul', { class: 'reasons' }, x.score.reasons.map((re) => h('li', { 'data-code': re.code }, reasonText(re)))),
              ),
            ),
          )
        : empty(),
  );
}

export function productPage(p: Record<string, string>): void {
  const { union, id } = p;
  const main = page(`${union}:${id}`);
  const head = h('div', null, heading(`${unionName(union)} ${id}`));
  const body = h('div', { 'data-testid': 'product-page' });
  mount(main, head, tabs('search'), body);
  void region(
    body,
    () => api.get<ProductDetail>(`/products/${enc(union)}/${enc(id)}`),
    (d) => {
      const pr = d.product;
      mount(head, heading(pr.title, `${unionName(pr.union)} · ${pr.product}${pr.shop ? ` · ${pr.shop}` : ''}`));
      const chart = chartBox(t('product.historyChart'), 'price-chart');
      const parts = [
        h(
          'div',
          { class: 'cols' },
          card(t('product.facts'), 'product-facts', productFacts(pr)),
          card(t('product.copy'), 'product-copy', copyBox(pr)),
        ),
        card(t('product.history'), 'product-history', d.history ? historyFacts(d.history) : empty(), chart),
        d.score ? card(t('product.scoreTitle', { points: d.score.points }), 'product-score', h('ul', { class: 'reasons' }, d.score.reasons.map((r) => h('li', { 'data-code': r.code }, reasonText(r))))) : null,
        card(t('product.substitutes'), 'product-substitutes', d.substitutes?.length ? substitutes(d) : empty(t('product.noSubstitutes'))),
      ];
      queueMicrotask(() => drawHistory(chart, d.history));
      return parts;
    },
  );
}

function productFacts(p: Product): HTMLElement {
  return facts([
    [t('product.finalPrice'), yuan(p.final_price), 'product-final-price'],
    [t('product.price'), yuan(p.price)],
    [t('product.coupon'), p.coupon ? `${yuan(p.coupon)}${p.coupon_valid ? '' : ` (${t('product.couponInvalid')})`}${p.coupon_end ? ` · ${t('product.until', { date: date(p.coupon_end) })}` : ''}` : '—'],
    [t('product.commission'), `${yuan(p.commission)} (${bps(p.commission_bps)})`, 'product-commission'],
    [t('product.sales'), count(p.sales)],
    [t('product.category'), p.category ?? '—'],
    [t('product.brand'), p.brand ?? '—'],
    [t('product.shop'), p.shop ?? '—'],
    [t('product.link'), p.url ? h('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, t('product.open')) : '—'],
    [t('product.updated'), dateTime(p.updated_at)],
  ]);
}

function historyFacts(hi: PriceHistory): HTMLElement {
  return facts([
    [t('history.current'), yuan(hi.current)],
    [t('history.lowest'), yuan(hi.lowest)],
    [t('history.highest'), yuan(hi.highest)],
    [t('history.window', { days: hi.window_days ?? 90 }), hi.window_low !== undefined ? `${yuan(hi.window_low)} – ${yuan(hi.window_high)}` : '—'],
    [t('history.since'), hi.current_since ? dateTime(hi.current_since) : '—'],
    [t('history.tracked'), hi.tracked_days !== undefined ? t('plan.days', { n: hi.tracked_days }) : '—'],
    [t('history.changes'), count(hi.changes)],
    [t('history.note'), hi.never_this_low_before ? t('history.neverLow') : hi.at_lowest ? t('history.atLowest') : '—'],
  ]);
}

function drawHistory(box: HTMLElement, hi: PriceHistory | undefined): void {
  const points = hi?.points ?? [];
  if (!points.length) {
    mount(box, empty(t('history.noPoints')));
    return;
  }
  // a step line up to now: the last price still holds today
  const series = [...points, { ...points[points.length - 1], at: new Date().toISOString() }];
  const alt = table(
    t('product.history'),
    [t('history.at'), { label: t('product.finalPrice'), num: true }, { label: t('product.price'), num: true }, { label: t('product.coupon'), num: true }],
    points.map((x) => row([dateTime(x.at), money(x.final_price), money(x.price), money(x.coupon)])),
  );
  void fill(
    box,
    {
      categories: series.map((x) => x.at),
      time: true,
      series: [
        { name: t('product.finalPrice'), type: 'line', data: series.map((x) => x.final_price), step: true },
        { name: t('product.price'), type: 'line', data: series.map((x) => x.price), step: true },
      ],
      format: [(v) => yuan(v)],
    },
    alt,
  );
}

function substitutes(d: ProductDetail): HTMLElement {
  return table(
    t('product.substitutes'),
    [t('product.title'), { label: t('product.finalPrice'), num: true }, { label: t('product.commission'), num: true }, { label: t('product.earnMore'), num: true }, { label: t('product.cheaperBy'), num: true }, { label: t('product.similarity'), num: true }],
    (d.substitutes ?? []).map((s) =>
      row([productLink(s.union, s.product, s.title), money(s.final_price), money(s.commission), { v: yuan(s.earn_more, { sign: true }), num: true }, { v: s.cheaper_by >= 0 ? yuan(s.cheaper_by) : t('product.dearer', { amount: yuan(-s.cheaper_by) }), num: true }, { v: bps(s.similarity * 10), num: true }]),
    ),
  );
}

function copyBox(p: Product): HTMLElement {
  const member = h('input', { id: 'copy-member', type: 'search', autocomplete: 'off', placeholder: 'm1', 'data-testid': 'copy-member' });
  const out = h('textarea', { id: 'copy-text', rows: 6, readonly: true, 'data-testid': 'copy-text' });
  const msg = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'copy-error' });
  const linkBox = h('div', { class: 'copy-link', 'data-testid': 'copy-link' });
  const copy = h(
    'button',
    {
      type: 'button',
      disabled: true,
      'data-testid': 'copy-button',
      onclick: async () => toast((await copyText(out.value)) ? t('common.copied') : t('common.copyFailed'), 'ok'),
    },
    t('common.copy'),
  );
  const get = h('button', { type: 'submit', 'data-testid': 'copy-get' }, t('product.getText'));
  const path = `/products/${enc(p.union)}/${enc(p.product)}/copy`;
  return h(
    'form',
    {
      class: 'copy-box',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        msg.textContent = '';
        mount(linkBox);
        out.value = '';
        copy.disabled = true;
        get.disabled = true;
        try {
          const m = member.value.trim();
          let r: CopyText;
          let noTag = false;
          if (m) {
            // the member's tracking link; without a tag of the union
            // (409) the plain text with its invite code
            try {
              r = await api.get<CopyText>(path, { member: m, link: 1 });
            } catch (err) {
              if (!(err instanceof ApiError) || err.status !== 409) throw err;
              r = await api.get<CopyText>(path, { member: m });
              noTag = true;
            }
          } else r = await api.get<CopyText>(path);
          out.value = r.text;
          copy.disabled = false;
          if (r.link) mount(linkBox, linkFacts(r));
          else if (noTag) mount(linkBox, h('p', { class: 'muted', 'data-testid': 'copy-no-tag' }, t('product.noTag', { union: unionName(p.union) })));
        } catch (err) {
          msg.textContent = errorText(err);
        } finally {
          get.disabled = false;
        }
      },
    },
    h('div', { class: 'row' }, h('label', { for: 'copy-member', class: 'grow' }, t('product.copyMember'), member), get),
    msg,
    linkBox,
    h('label', { for: 'copy-text', class: 'block' }, t('product.copyText'), out),
    h('div', { class: 'row' }, copy),
  );
}

// The member's link the text carries: the short link, where it leads (the
// union's own link when converted, until its expiry), the 淘口令 with a
// button copying it alone, and a demo mark for an offline demo conversion.
function linkFacts(r: CopyText): HTMLElement {
  const l = r.link as LinkDoc;
  const tpwd = r.tpwd;
  const pairs: Array<[string, Child, string?]> = [
    [t('link.short'), h('a', { href: l.short_url, target: '_blank', rel: 'noopener noreferrer' }, l.short_url), 'link-short'],
    [
      t('link.target'),
      h(
        'span',
        null,
        h('a', { href: l.target, target: '_blank', rel: 'noopener noreferrer' }, l.target),
        l.demo ? [' ', h('span', { class: 'badge warn', title: t('link.demoHint'), 'data-testid': 'link-demo' }, t('link.demo'))] : null,
      ),
      'link-target',
    ],
    [t('link.kind'), l.converted ? t('link.converted') : t('link.plain'), 'link-kind'],
    [t('link.expires'), l.converted && l.expires_at ? dateTime(l.expires_at) : '—', 'link-expires'],
  ];
  if (tpwd)
    pairs.push([
      t('link.tpwd'),
      h(
        'span',
        { class: 'row' },
        h('code', { 'data-testid': 'link-tpwd' }, tpwd),
        h(
          'button',
          { type: 'button', 'data-testid': 'link-tpwd-copy', onclick: async () => toast((await copyText(tpwd)) ? t('common.copied') : t('common.copyFailed'), 'ok') },
          t('link.copyTpwd'),
        ),
      ),
    ]);
  return facts(pairs);
}
