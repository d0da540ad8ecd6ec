// One product (#/product/{union}/{id}, GET /products/{union}/{id}): its
// image, title and platform, price after coupon and the coupon, what it
// earns, the price history as a small chart with its low and high, why it
// is worth pushing (the score's reasons), similar products, the poster, and the copy
// action the cards have.
import { enc } from '../lib/api';
import { h } from '../lib/dom';
import { bps, count, date, yuan } from '../lib/format';
import { hasMessage, t } from '../lib/i18n';
import { screen } from './layout';
import { posterButton } from './poster';
import { copyAction, productHref, thumb, unionBadge } from './products';
import { api } from './session';
import type { PricePoint, ProductDetail, Substitute } from '../lib/types';
import { section, show } from './ui';
import './feed-messages';

type Reason = { code: string; text: string; params?: Record<string, string | number> };

export function productView(params: Record<string, string>): void {
  const main = screen({ title: t('pd.title'), back: '/products' });
  const box = h('div', { class: 'p-pd' });
  main.append(box);
  void show(
    box,
    () => api.get<ProductDetail>(`/products/${enc(params.union)}/${enc(params.id)}`, { substitutes: 6 }),
    (d) => [head(d), history(d), reasons(d), substitutes(d.substitutes ?? [])],
  );
}

function head(d: ProductDetail): HTMLElement {
  const p = d.product;
  const titleId = 'p-pd-title';
  const [btn, result] = copyAction(p, titleId);
  const coupon = p.coupon_valid && p.coupon > 0;
  return h(
    'section',
    { class: 'p-card p-pd-head', 'data-testid': 'pd-head' },
    h('div', { class: 'p-pd-image' }, thumb(p)),
    h('h2', { class: 'p-pd-title', id: titleId, 'data-testid': 'pd-title' }, unionBadge(p.union), p.title),
    h(
      'div',
      { class: 'p-price' },
      h('span', { class: 'muted' }, t('pd.price')),
      h('strong', { 'data-testid': 'pd-final' }, yuan(p.final_price)),
      p.price !== p.final_price ? h('s', { class: 'muted' }, t('pd.original', { price: yuan(p.price) })) : null,
    ),
    coupon
      ? h(
          'div',
          { class: 'p-pd-coupon', 'data-testid': 'pd-coupon' },
          h('span', { class: 'p-coupon' }, t('pd.coupon', { amount: yuan(p.coupon) })),
          p.coupon_min ? h('span', { class: 'muted' }, t('pd.couponMin', { min: yuan(p.coupon_min) })) : null,
          p.coupon_end ? h('span', { class: 'muted' }, t('pd.couponUntil', { date: date(p.coupon_end) })) : null,
        )
      : null,
    h(
      'dl',
      { class: 'p-pd-facts' },
      fact(t('pd.commission'), h('span', { class: 'p-earn', 'data-testid': 'pd-earn' }, yuan(p.commission))),
      fact(t('pd.sales'), count(p.sales)),
      p.shop ? fact(t('pd.shop'), p.shop) : null,
      p.brand ? fact(t('pd.brand'), p.brand) : null,
      p.category ? fact(t('pd.category'), h('a', { href: `#/products?cat=${encodeURIComponent(p.category)}` }, p.category)) : null,
    ),
    h('p', { class: 'muted p-pd-note' }, t('pd.commissionHint', { rate: bps(p.commission_bps) })),
    h('div', { class: 'p-card-actions' }, btn, posterButton(p, titleId)),
    result,
    p.url ? h('a', { class: 'p-pd-open', href: p.url, target: '_blank', rel: 'noopener noreferrer' }, t('pd.open')) : null,
  );
}

function fact(label: string, value: string | Node): HTMLElement {
  return h('div', { class: 'p-pd-fact' }, h('dt', null, label), h('dd', null, value));
}

// The price after coupon over the tracked days, as a step line: a price
// holds until the next change, the last one until now.
function history(d: ProductDetail): HTMLElement {
  const hst = d.history;
  const pts = (hst?.points ?? []).filter((x) => x.at);
  if (!hst || pts.length === 0) return section(t('pd.history'), h('p', { class: 'muted' }, t('pd.historyNone')));
  const low = Math.min(...pts.map((x) => x.final_price), hst.current);
  const high = Math.max(...pts.map((x) => x.final_price), hst.current);
  return section(
    t('pd.history'),
    h(
      'div',
      { class: 'p-card p-pd-history', 'data-testid': 'pd-history' },
      chart(pts, hst.current, low, high),
      h(
        'div',
        { class: 'p-pd-range' },
        figure(t('pd.now'), yuan(hst.current), 'pd-now'),
        figure(t('pd.lowest'), yuan(low), 'pd-lowest'),
        figure(t('pd.highest'), yuan(high), 'pd-highest'),
      ),
      hst.tracked_days ? h('p', { class: 'muted' }, t('pd.historyDays', { n: count(hst.tracked_days), changes: count(hst.changes ?? pts.length) })) : null,
      hst.at_lowest && pts.length > 1 ? h('p', { class: 'p-pd-low', 'data-testid': 'pd-at-lowest' }, t('pd.atLowest')) : null,
    ),
  );
}

function figure(label: string, value: string, testid: string): HTMLElement {
  return h('div', null, h('div', { class: 'p-tile-label' }, label), h('div', { class: 'p-pd-fig', 'data-testid': testid }, value));
}

function chart(pts: PricePoint[], current: number, low: number, high: number): Element {
  const W = 320;
  const H = 96;
  const t0 = Date.parse(pts[0].at);
  const t1 = Math.max(Date.now(), Date.parse(pts[pts.length - 1].at) + 1);
  const x = (ms: number) => ((ms - t0) / (t1 - t0)) * W;
  const y = (fen: number) => (high === low ? H / 2 : 8 + ((high - fen) / (high - low)) * (H - 16));
  let path = '';
  pts.forEach((pt, i) => {
    const px = x(Date.parse(pt.at));
    path += i === 0 ? `M${px.toFixed(1)},${y(pt.final_price).toFixed(1)}` : `H${px.toFixed(1)}V${y(pt.final_price).toFixed(1)}`;
  });
  path += `H${W}V${y(current).toFixed(1)}`;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'p-pd-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-label', t('pd.chart', { from: date(pts[0].at), to: date(new Date().toISOString()), low: yuan(low), high: yuan(high) }));
  const line = document.createElementNS(ns, 'path');
  line.setAttribute('d', path);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '2');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  return svg;
}

// A reason: its code in the viewer's words (with its figures when the
// server sends them as params), the server's sentence when the code is
// new to this page.
export function reasonWords(r: Reason): { label: string; detail: string } {
  const key = `pd.reason.${r.code}`;
  if (!hasMessage(key)) return { label: r.text, detail: '' };
  const label = t(key);
  const full = `reason.${r.code}`;
  if (r.params && hasMessage(full)) return { label, detail: t(full, r.params) };
  return { label, detail: r.text };
}

function reasons(d: ProductDetail): HTMLElement | null {
  const rs = (d.score?.reasons ?? []) as Reason[];
  if (!rs.length) return null;
  return section(
    t('pd.score'),
    h(
      'div',
      { class: 'p-card' },
      d.score?.points ? h('div', { class: 'muted p-pd-points' }, t('pd.points', { points: d.score.points })) : null,
      h(
        'ul',
        { class: 'p-pd-reasons', 'data-testid': 'pd-reasons' },
        rs.map((r) => {
          const w = reasonWords(r);
          return h('li', { 'data-code': r.code }, h('span', { class: 'badge' }, w.label), w.detail ? h('span', { class: 'muted' }, ` ${w.detail}`) : null);
        }),
      ),
    ),
  );
}

function substitutes(subs: Substitute[]): HTMLElement {
  return section(
    t('pd.substitutes'),
    subs.length
      ? h(
          'ul',
          { class: 'p-list', 'data-testid': 'pd-substitutes' },
          subs.map((s) =>
            h(
              'li',
              { class: 'p-card p-sub', 'data-testid': 'pd-substitute' },
              h(
                'a',
                { href: productHref(s), class: 'p-sub-link' },
                thumb(s),
                h(
                  'div',
                  { class: 'p-product-info' },
                  h('div', { class: 'p-product-title' }, unionBadge(s.union), s.title),
                  h(
                    'div',
                    { class: 'p-product-meta' },
                    h('strong', { class: 'p-sub-price' }, yuan(s.final_price)),
                    s.earn_more !== 0 ? h('span', { class: s.earn_more > 0 ? 'p-earn' : 'muted' }, t(s.earn_more > 0 ? 'pd.earnMore' : 'pd.earnLess', { amount: yuan(Math.abs(s.earn_more)) })) : null,
                    s.cheaper_by !== 0 ? h('span', { class: 'muted' }, t(s.cheaper_by > 0 ? 'pd.cheaper' : 'pd.dearer', { amount: yuan(Math.abs(s.cheaper_by)) })) : null,
                  ),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('pd.noSubstitutes')),
  );
}
