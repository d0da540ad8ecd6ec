// Products: category tabs over today's picks (GET /products/top, paged by
// "load more") or a search (GET /products); each card with its platform,
// price after coupon, what the promoter earns, a link to the product page,
// and a one-tap "copy text + link" for the chat group that then says what
// the text carries: Taobao's 淘口令 (copyable alone) or the short link;
// and the product's poster with the member's link in its QR code.
import { ApiError, enc } from '../lib/api';
import { copyText, h, mount, toast } from '../lib/dom';
import { count, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { screen } from './layout';
import { posterButton } from './poster';
import { api } from './session';
import type { Categories, CopyText, Product, Reason, SearchPage, TopPage } from './types';
import './feed-messages';
import { ICONS, errorWords, field, icon, pagedList, word } from './ui';

const SORTS = ['popular', 'sales', 'commission', 'price'] as const;
const PER_PAGE = 20;
const TOP_MAX = 1000; // GET /products/top answers at most this many
// reasons from the score worth a tag on the card
const TAGGED = new Set(['lowest_window', 'rare_price', 'lowest']);

export function productsView(_p: unknown, query: URLSearchParams): void {
  const main = screen({ title: t('tab.products'), tab: 'products' });
  const q = (query.get('q') ?? '').trim();
  const sort = SORTS.find((s) => s === query.get('sort')) ?? null;
  const cat = (query.get('cat') ?? '').trim();
  const searching = q !== '';

  main.append(searchForm(q, sort ?? 'popular', searching));
  if (!searching) main.append(categoryTabs(cat));
  if (searching) {
    main.append(
      h('h2', { class: 'p-subtitle', 'aria-live': 'polite' }, q ? t('products.resultsFor', { q }) : t('products.all')),
      pagedList<Product>({
        load: async (cursor) => {
          const page = cursor ? Number(cursor) : 1;
          const r = await api.get<SearchPage>('/products', { q, sort: sort ?? 'popular', page, per_page: PER_PAGE, category: cat || undefined });
          const more = r.items.length === PER_PAGE && page * PER_PAGE < r.total;
          return { items: r.items, next: more ? String(page + 1) : null };
        },
        row: (p) => card(p, []),
        emptyText: t('products.none'),
        testid: 'product-list',
      }),
    );
  } else {
    // The ranking has no pages of its own: each "load more" asks for 20 more
    // of the top and keeps those not shown yet (a re-ranking between two
    // asks may move one; it is shown once).
    const shown = new Set<string>();
    main.append(
      h('h2', { class: 'p-subtitle' }, cat ? t('feed.categoryTitle', { category: cat }) : t('products.top')),
      pagedList<{ p: Product; reasons: Reason[] }>({
        load: async (cursor) => {
          if (!cursor) shown.clear();
          const limit = Math.min(cursor ? Number(cursor) : PER_PAGE, TOP_MAX);
          const r = await api.get<TopPage>('/products/top', { limit, category: cat || undefined });
          const fresh = r.items.filter((it) => !shown.has(key(it.product)));
          for (const it of fresh) shown.add(key(it.product));
          const more = r.items.length === limit && limit < TOP_MAX;
          return { items: fresh.map((it) => ({ p: it.product, reasons: it.score?.reasons ?? [] })), next: more ? String(limit + PER_PAGE) : null };
        },
        row: (it) => card(it.p, it.reasons),
        emptyText: t('products.none'),
        testid: 'product-list',
        auto: true,
      }),
    );
  }
}

const key = (p: Product) => `${p.union}:${p.product}`;

export function productHref(p: Pick<Product, 'union' | 'product'>): string {
  return `#/product/${enc(p.union)}/${enc(p.product)}`;
}

// The platform as a coloured badge that says its name too (colour alone
// tells nothing to a screen reader or a colour-blind member).
export function unionBadge(union: string): HTMLElement {
  return h('span', { class: `p-union p-union-${union}`, 'data-testid': 'product-union', title: t('feed.platform', { name: word('union', union) }) }, word('union', union));
}

// Chips of the library's categories, the team's best sellers first; the
// first chip is today's picks over every category.  Links, so the back
// button and a shared address keep the category.
function categoryTabs(current: string): HTMLElement {
  const nav = h('nav', { class: 'p-cats', 'aria-label': t('feed.categories'), 'data-testid': 'categories' });
  const chip = (label: string, cat: string) =>
    h(
      'a',
      { class: 'p-cat', href: cat ? `#/products?cat=${encodeURIComponent(cat)}` : '#/products', 'aria-current': cat === current ? 'page' : null, 'data-testid': 'category' },
      label,
    );
  nav.append(chip(t('feed.allCategories'), ''));
  api
    .get<Categories>('/products/categories')
    .then((r) => {
      for (const c of r.categories) nav.append(chip(c.category, c.category));
      // a category from an old link that the library no longer has
      if (current && !r.categories.some((c) => c.category === current)) nav.append(chip(current, current));
      nav.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView({ block: 'nearest', inline: 'center' });
    })
    .catch(() => {
      /* without categories the feed still works: only the chips are missing */
    });
  return nav;
}

// The sort applies to a search's results: the feed is the ranking itself.
function searchForm(q: string, sort: string, searching: boolean): HTMLElement {
  const input = h('input', { type: 'search', name: 'q', enterkeyhint: 'search', 'data-testid': 'search-input', placeholder: t('products.searchHint') });
  input.value = q;
  const select = h(
    'select',
    { name: 'sort', 'data-testid': 'search-sort' },
    SORTS.map((s) => h('option', { value: s, selected: s === sort }, t(`sort.${s}`))),
  );
  const form = h(
    'form',
    { class: 'p-search', role: 'search' },
    h('label', { class: 'sr-only', for: 'p-q' }, t('products.search')),
    input,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'search-submit' }, t('common.search')),
    searching ? field(t('products.sort'), select) : null,
  );
  input.id = 'p-q';
  const submit = () => {
    const p = new URLSearchParams();
    if (input.value.trim()) p.set('q', input.value.trim());
    if (select.value !== 'popular' || p.has('q')) p.set('sort', select.value);
    const qs = p.toString();
    go(qs ? `/products?${qs}` : '/products');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    input.blur(); // closes the phone's keyboard
    submit();
  });
  select.addEventListener('change', submit);
  return form;
}

export function thumb(p: Product): HTMLElement {
  const box = h('div', { class: 'p-thumb' });
  if (p.image) {
    const img = h('img', { src: p.image, alt: '', loading: 'lazy', decoding: 'async', width: 88, height: 88, referrerpolicy: 'no-referrer' });
    img.addEventListener('error', () => img.remove(), { once: true });
    box.append(img);
  }
  return box;
}

let cardSeq = 0;

// The copy button and, under it, what the last copy carried or why it
// failed; `titleId` is the element naming the product.
export function copyAction(p: Product, titleId: string): [HTMLButtonElement, HTMLElement] {
  // the visible words name the button; the product's title describes it
  const btn = h(
    'button',
    { type: 'button', class: 'primary p-copy', 'data-testid': 'copy-button', 'aria-describedby': titleId },
    icon(ICONS.copy),
    h('span', null, t('products.copy')),
  );
  const result = h('div', { class: 'p-copied', 'data-testid': 'copy-result', 'aria-live': 'polite' });
  btn.addEventListener('click', () => void copyProduct(p, btn, result));
  return [btn, result];
}

function card(p: Product, reasons: Reason[]): HTMLElement {
  const titleId = `p-product-${++cardSeq}`;
  const [btn, result] = copyAction(p, titleId);
  const tags = reasons.filter((r) => TAGGED.has(r.code));
  return h(
    'li',
    { class: 'p-card p-product', 'data-testid': 'product-card', 'data-union': p.union, 'data-product': p.product },
    h(
      'div',
      { class: 'p-product-body' },
      thumb(p),
      h(
        'div',
        { class: 'p-product-info' },
        h('h3', { class: 'p-product-title', id: titleId }, unionBadge(p.union), h('a', { href: productHref(p), 'data-testid': 'product-link' }, p.title)),
        h(
          'div',
          { class: 'p-price' },
          h('strong', { 'data-testid': 'product-final' }, yuan(p.final_price)),
          p.price !== p.final_price ? h('s', { class: 'muted', 'aria-label': t('products.original', { price: yuan(p.price) }) }, yuan(p.price)) : null,
          p.coupon_valid && p.coupon > 0 ? h('span', { class: 'p-coupon' }, t('products.coupon', { amount: yuan(p.coupon) })) : null,
        ),
        h(
          'div',
          { class: 'p-product-meta' },
          h('span', { class: 'p-earn', 'data-testid': 'product-earn' }, t('products.earn', { amount: yuan(p.commission) })),
          h('span', { class: 'muted' }, t('products.sales', { n: count(p.sales) })),
        ),
        tags.length ? h('div', { class: 'p-tags' }, tags.map((r) => h('span', { class: 'badge warn' }, tOr(`reason.${r.code}`, r.text)))) : null,
        p.shop ? h('div', { class: 'p-shop muted' }, p.shop) : null,
      ),
    ),
    h('div', { class: 'p-card-actions' }, btn, posterButton(p, titleId)),
    result,
  );
}

// The copy text with the member's short tracking link; without a union tag
// for that union (409) the plain text, whose link carries the invite code.
// A union's refusal (502) is said in the union's own words on the card.
async function copyProduct(p: Product, btn: HTMLButtonElement, result: HTMLElement): Promise<void> {
  if (btn.disabled) return;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  const path = `/products/${enc(p.union)}/${enc(p.product)}/copy`;
  try {
    let c: CopyText;
    try {
      c = await api.get<CopyText>(path, { link: 1 });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) throw e;
      c = await api.get<CopyText>(path);
    }
    mount(result, copied(c));
    if (await copyText(c.text)) toast(t('common.copied'));
    else copySheet(c.text);
  } catch (e) {
    mount(result, h('p', { class: 'p-copied-error', role: 'alert', 'data-testid': 'copy-error' }, errorWords(e)));
    toast(errorWords(e), 'error');
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

// What the copied text carries: Taobao's 淘口令 (the text for WeChat,
// which opens no Taobao link, has it in place of the link) with a button
// copying it alone; else the short link and where it leads; a demo mark.
function copied(c: CopyText): HTMLElement {
  const l = c.link;
  if (!l) return h('p', { class: 'muted', 'data-testid': 'copy-plain' }, t('products.copiedPlain'));
  const demo = l.demo ? h('span', { class: 'badge warn', title: t('link.demoHint'), 'data-testid': 'copy-demo' }, t('link.demo')) : null;
  const inText = c.tpwd && c.text.includes(c.tpwd);
  if (c.tpwd && inText) {
    const tpwd = c.tpwd;
    return h(
      'div',
      { class: 'p-copied-box', 'data-kind': 'tpwd' },
      h('div', { class: 'p-copied-head' }, h('span', null, t('products.copiedTpwd')), demo),
      h(
        'div',
        { class: 'p-copyrow' },
        h('code', { class: 'p-copyrow-text p-copyrow-value', 'data-testid': 'copy-tpwd' }, tpwd),
        h(
          'button',
          {
            type: 'button',
            class: 'p-tpwd-copy',
            'data-testid': 'copy-tpwd-button',
            onclick: async () => toast((await copyText(tpwd)) ? t('products.tpwdCopied') : t('products.copyManually'), 'ok'),
          },
          t('products.copyTpwd'),
        ),
      ),
      h('p', { class: 'muted p-copied-note' }, t('products.tpwdHint')),
    );
  }
  let host: string;
  try {
    host = new URL(l.target).host;
  } catch {
    host = l.target;
  }
  return h(
    'div',
    { class: 'p-copied-box', 'data-kind': 'link' },
    h('div', { class: 'p-copied-head' }, h('span', null, t('products.copiedLink')), demo),
    h('a', { class: 'p-copyrow-value', href: l.short_url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'copy-link' }, l.short_url),
    h('p', { class: 'muted p-copied-note', 'data-testid': 'copy-target', title: l.target }, t(l.converted ? 'products.leadsUnion' : 'products.leadsTo', { host })),
  );
}

// When the browser would not let us write the clipboard (some phones refuse
// it after a network wait): the text in a sheet, copied with one more tap.
function copySheet(text: string): void {
  const ta = h('textarea', { readonly: true, rows: 6, 'aria-label': t('products.copyText'), 'data-testid': 'copy-sheet-text' });
  ta.value = text;
  const dlg = h('dialog', { class: 'p-sheet', 'aria-label': t('products.copyText') });
  const close = () => {
    dlg.close();
    dlg.remove();
  };
  dlg.append(
    h('h2', null, t('products.copyText')),
    ta,
    h(
      'div',
      { class: 'p-sheet-actions' },
      h('button', { type: 'button', onclick: close }, t('common.close')),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            ta.select();
            if (await copyText(text)) {
              toast(t('common.copied'));
              close();
            } else toast(t('products.copyManually'), 'error');
          },
        },
        t('common.copy'),
      ),
    ),
  );
  document.body.append(dlg);
  dlg.showModal();
  ta.select();
}
