// Small pieces the promoter views share: error words, figure tiles, paged
// lists with "load more", labelled inputs.
import { ApiError } from '../lib/api';
import { empty, errorText, h, loading, mount, region, unionWords } from '../lib/dom';
import { lang, t, tOr, type MessageKey } from '../lib/i18n';
import type { PayoutMethod, WithdrawalStatus } from '../lib/types';
import { levelsKnown } from './session';

type Child = Parameters<typeof mount>[1]; // what h() and mount() take

// A translated word for `prefix.value`, or the value itself when unknown.
export function word(prefix: string, value: string): string {
  return tOr(`${prefix}.${value}`, value);
}

// Every withdrawal status and payout method of the API's enums has its words
// here: one added to the OpenAPI document fails this type check until
// messages.ts has it.
type Holds<T extends true> = T;
type WordKey = `wstatus.${WithdrawalStatus}` | `method.${PayoutMethod}` | `withdraw.account.${PayoutMethod}`;
export type WordsComplete = Holds<[WordKey] extends [MessageKey] ? true : false>;

// A level in the reader's language: the plan's own names (from /me) when it
// gives them, else this page's word for the key, else the key.
export function levelName(level: string): string {
  const l = levelsKnown().find((x) => x.key === level);
  const own = l?.names?.[lang() === 'zh' ? 'zh-CN' : 'en'];
  if (own) return own;
  return tOr(`level.${level}`, l?.name || level);
}

// An error in words, in the viewer's language (its key and params; the
// field at fault by its word, field.amount -> 金额).
export function errorWords(e: unknown): string {
  const union = unionWords(e);
  if (union) return union;
  return errorText(e);
}

// An error state: a refusal (403) or a missing thing (404) in words with
// what it means; anything else in words with a retry.
export function problem(e: unknown, retry?: () => void): HTMLElement {
  if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
    return h(
      'div',
      { class: 'state error p-problem', role: 'alert', 'data-testid': e.status === 403 ? 'refused' : 'not-found' },
      h('strong', null, errorWords(e)),
      h('span', { class: 'muted' }, t(e.status === 403 ? 'p.forbiddenHint' : 'p.notFoundHint')),
      /^#\/(member|team)\//.test(location.hash) ? h('a', { href: '#/team' }, t('p.toTeam')) : null,
    );
  }
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    h('span', null, t('common.error', { message: errorWords(e) })),
    retry ? h('button', { type: 'button', onclick: () => retry() }, t('common.retry')) : null,
  );
}

// dom.ts region() with the promoter's words for a problem.
export function show<T>(el: Element, load: () => Promise<T>, render: (v: T) => Child): Promise<void> {
  return region(el, load, render, problem);
}

// A figure: its label, its value, an optional one-line explanation.
export function tile(label: string, value: string, opts: { testid?: string; hint?: string } = {}): HTMLElement {
  return h(
    'div',
    { class: 'p-tile' },
    h('div', { class: 'p-tile-label' }, label),
    h('div', { class: 'p-tile-value', 'data-testid': opts.testid }, value),
    opts.hint ? h('div', { class: 'p-tile-hint' }, opts.hint) : null,
  );
}

export function section(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'p-section' }, h('h2', null, title), ...children);
}

let fieldSeq = 0;
// An input (or select) with its label and an optional hint it is described by.
export function field(label: string, control: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  const id = control.id || `p-field-${++fieldSeq}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'p-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'p-field' }, h('label', { for: id }, label), control, hintEl);
}

export interface PageOf<I> {
  items: I[];
  next: string | null;
}

// A list loaded a page at a time: a loading state, an empty state, errors
// with retry, and a "load more" button while there is a next page.
export function pagedList<I>(opts: {
  load: (cursor: string | null) => Promise<PageOf<I>>;
  row: (item: I) => Node;
  emptyText: string;
  testid: string;
  tag?: 'ul' | 'ol';
  // load the next page by itself when "load more" scrolls near the view
  // (the button stays, for a browser without IntersectionObserver or a
  // failed page)
  auto?: boolean;
}): HTMLElement {
  const box = h('div', { class: 'p-list-box' });
  const list = h(opts.tag ?? 'ul', { class: 'p-list', 'data-testid': opts.testid });
  const foot = h('div', { class: 'p-list-foot' });

  async function first(): Promise<void> {
    mount(box, loading());
    try {
      const page = await opts.load(null);
      if (!page.items.length) {
        mount(box, empty(opts.emptyText));
        return;
      }
      list.replaceChildren(...page.items.map(opts.row));
      mount(box, list, foot);
      footer(page.next);
    } catch (e) {
      mount(box, problem(e, () => void first()));
    }
  }

  function footer(next: string | null): void {
    if (next === null) {
      mount(foot);
      return;
    }
    const btn = h('button', { type: 'button', class: 'p-more', 'data-testid': `${opts.testid}-more` }, t('common.more'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      btn.textContent = t('common.loading');
      try {
        const page = await opts.load(next);
        for (const it of page.items) list.appendChild(opts.row(it));
        footer(page.next);
      } catch (e) {
        mount(foot, problem(e, () => footer(next)));
      }
    });
    mount(foot, btn);
    if (opts.auto && typeof IntersectionObserver === 'function') {
      const io = new IntersectionObserver(
        (seen) => {
          if (!seen.some((e) => e.isIntersecting) || btn.disabled || !btn.isConnected) return;
          io.disconnect();
          btn.click();
        },
        { rootMargin: '200px 0px' },
      );
      io.observe(btn);
      btn.addEventListener('click', () => io.disconnect(), { once: true });
    }
  }

  void first();
  return box;
}

// An icon from a fixed SVG path set (never from data).
export function icon(paths: string): HTMLElement {
  const span = h('span', { class: 'p-ico', 'aria-hidden': 'true' });
  span.innerHTML = `<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;
  return span;
}

export const ICONS = {
  products: '<path d="M5 8h14l-1.2 12H6.2L5 8z"/><path d="M9 8V7a3 3 0 0 1 6 0v1"/>',
  earnings: '<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18"/><path d="M16 15h2"/>',
  team: '<circle cx="9" cy="8" r="3"/><path d="M3.5 20a5.5 5.5 0 0 1 11 0"/><circle cx="17" cy="9" r="2.5"/><path d="M16 14a4.5 4.5 0 0 1 5 5"/>',
  me: '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
  back: '<path d="M15 5l-7 7 7 7"/>',
  copy: '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2"/>',
} as const;
