// A small DOM builder and the loading / empty / error states every view shows.
import { ApiError } from './api';
import { apiErrorText } from './errors';
import { t, tOr } from './i18n';

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs)
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (k === 'class') el.className = String(v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

// Words for an error, for people: a server error by its key and params in
// the reader's language (lib/errors.ts), never by the server's English.
export function errorText(e: unknown): string {
  const union = unionWords(e);
  if (union) return union;
  if (e instanceof ApiError) return apiErrorText(e);
  return e instanceof Error ? e.message : String(e);
}

// A union's refusal of a conversion (502 union_refused) or its silence
// (union_unavailable) in words: which union, its own code and its own
// message (the part of the server's sentence after "error CODE: ");
// null for any other error.
export function unionWords(e: unknown): string | null {
  if (!(e instanceof ApiError) || (e.code !== 'union_refused' && e.code !== 'union_unavailable')) return null;
  const u = e.union ?? e.field ?? '';
  const name = tOr(`union.${u}`, u);
  let said = e.message;
  const mark = e.unionCode ? `error ${e.unionCode}: ` : '';
  const at = mark ? said.indexOf(mark) : -1;
  if (at >= 0) said = said.slice(at + mark.length);
  if (e.code === 'union_unavailable') return t('union.unavailable', { union: name, message: said });
  return e.unionCode ? t('union.refused', { union: name, code: e.unionCode, message: said }) : t('union.refusedNoCode', { union: name, message: said });
}

export function loading(): HTMLElement {
  return h('div', { class: 'state loading', role: 'status', 'aria-live': 'polite' }, t('common.loading'));
}

export function empty(text?: string): HTMLElement {
  return h('div', { class: 'state empty' }, text ?? t('common.empty'));
}

export function failure(e: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'state error', role: 'alert' },
    h('span', null, t('common.error', { message: errorText(e) })),
    retry ? h('button', { type: 'button', onclick: () => retry() }, t('common.retry')) : null,
  );
}

// Shows a loading state in `el`, runs `load`, then renders its result or the error (with retry),
// the error as `fail` shows it.
export async function region<T>(
  el: Element,
  load: () => Promise<T>,
  render: (v: T) => Child,
  fail: (e: unknown, retry: () => void) => HTMLElement = failure,
): Promise<void> {
  mount(el, loading());
  try {
    const v = await load();
    mount(el, render(v));
  } catch (e) {
    mount(el, fail(e, () => void region(el, load, render, fail)));
  }
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // clipboard API refused (http, permissions): the old way
    const ta = h('textarea', { readonly: true, 'aria-hidden': 'true', style: 'position:fixed;left:-9999px' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

let toastTimer = 0;
export function toast(text: string, kind: 'ok' | 'error' = 'ok'): void {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(el);
  }
  el.className = `toast ${kind} show`;
  el.textContent = text;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => el?.classList.remove('show'), 2500);
}
