// Small pieces every section uses: cards, tables, definition lists, links, badges.
import { enc } from '../lib/api';
import { failure, h, mount } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { t, tOr, type MessageKey } from '../lib/i18n';
import type { GroupState, ItemStatus, SendState, WithdrawalStatus } from '../lib/types';
import { go } from '../lib/router';

type Child = Parameters<typeof h>[2];

export function card(title: string | null, testid: string | null, ...body: Child[]): HTMLElement {
  return h('section', { class: 'card', 'data-testid': testid }, title ? h('h2', null, title) : null, ...body);
}

export interface Column {
  label: string;
  num?: boolean;
  sr?: boolean; // a header read by screen readers but not shown (checkbox columns)
}

// A table inside .table-wrap (scrolls sideways on a phone), with real headers.
export function table(caption: string, cols: Array<string | Column>, rows: HTMLTableRowElement[], testid?: string): HTMLElement {
  const head = cols.map((c) => (typeof c === 'string' ? { label: c } : c));
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      { 'data-testid': testid ?? null },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.sr ? h('span', { class: 'sr-only' }, c.label) : c.label)))),
      h('tbody', null, rows),
    ),
  );
}

export function row(cells: Array<Child | { v: Child; num?: boolean; testid?: string; cls?: string }>, attrs: Record<string, string | null> = {}): HTMLTableRowElement {
  return h(
    'tr',
    attrs,
    cells.map((c) =>
      c !== null && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c) && 'v' in c
        ? h('td', { class: [c.num ? 'num' : '', c.cls ?? ''].join(' ').trim() || null, 'data-testid': c.testid ?? null }, c.v)
        : h('td', null, c),
    ),
  );
}

export const money = (fen: number | null | undefined, testid?: string) => ({ v: yuan(fen), num: true, testid, cls: fen !== null && fen !== undefined && fen < 0 ? 'neg' : '' });
export const num = (n: number | null | undefined, testid?: string) => ({ v: count(n), num: true, testid });
export const rate = (b: number | null | undefined, testid?: string) => ({ v: bps(b), num: true, testid });

// <dl> of label/value pairs.
export function facts(pairs: Array<[string, Child, string?]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.map(([k, v, testid]) => h('div', null, h('dt', null, k), h('dd', { 'data-testid': testid ?? null }, v))),
  );
}

export function memberLink(id: string | null | undefined, label?: string): Child {
  if (!id) return '—';
  return h('a', { href: `#/members/${enc(id)}`, 'data-member': id }, label ?? id);
}

export function productLink(union: string, id: string, label?: string): HTMLElement {
  return h('a', { href: `#/products/${enc(union)}/${enc(id)}` }, label ?? `${union}:${id}`);
}

export function itemLink(union: string, item: string, label?: string): HTMLElement {
  return h('a', { href: `#/orders/${enc(union)}/${enc(item)}` }, label ?? `${union} · ${item}`);
}

const tone: Record<string, string> = {
  settled: 'ok',
  paid: 'ok',
  available: 'ok',
  approved: 'ok',
  received: 'warn',
  pending: 'warn',
  frozen: 'warn',
  requested: 'warn',
  unpaid: 'warn',
  invalid: 'bad',
  rejected: 'bad',
};

// Every state of the API's enums that the console shows in a badge has its
// words: a state added to the OpenAPI document (and so to api-types.ts)
// fails this type check until messages.ts has it.
type BadgeKey = `status.${ItemStatus | WithdrawalStatus}` | `groups.state.${GroupState}` | `job.${SendState}`;
type Holds<T extends true> = T;
export type BadgeWordsComplete = Holds<[BadgeKey] extends [MessageKey] ? true : false>;

// A status word in a coloured badge, translated when the console knows it.
export function badge(status: string, group = 'status'): HTMLElement {
  const k = `${group}.${status}`;
  const text = tOr(k, status);
  return h('span', { class: `badge ${tone[status] ?? ''}`.trim(), 'data-status': status }, text);
}

export function unionName(u: string): string {
  const k = `union.${u}`;
  return tOr(k, u);
}

// A page heading with an optional line under it.
export function heading(title: string, sub?: Child): HTMLElement {
  return h('div', { class: 'page-head' }, h('h1', null, title), sub ? h('div', { class: 'muted' }, sub) : null);
}

// A skeleton figure while a number is on its way.
export function pending(): HTMLElement {
  return h('span', { class: 'skeleton', 'aria-hidden': 'true' }, '\u00a0');
}

// A region's loader: the request already on its way the first time, a new
// one on retry (a failed promise would fail again).
export function prefetched<T>(first: Promise<T>, again: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = first;
  return () => {
    const r = p ?? again();
    p = null;
    return r;
  };
}

// A search form of one field: submitting goes to `to(words)`, unless the
// field holds only spaces.
export function searchForm(cls: string, input: HTMLInputElement, label: string, testid: string, to: (words: string) => string): HTMLElement {
  return h(
    'form',
    {
      class: cls,
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = input.value.trim();
        if (v) go(to(v));
      },
    },
    h('label', { for: input.id, class: 'grow' }, label, input),
    h('button', { type: 'submit', class: 'primary', 'data-testid': testid }, t('common.search')),
  );
}

// A list's "more" button, put into `more`: one click loads the next page
// (which puts its own button back, or none on the last page); a failure
// shows in its place.
export function showMore(more: HTMLElement, testid: string, next: () => Promise<unknown>): void {
  const b = h(
    'button',
    {
      type: 'button',
      'data-testid': testid,
      onclick: async () => {
        b.disabled = true;
        try {
          await next();
        } catch (e) {
          mount(more, failure(e));
        }
      },
    },
    t('common.more'),
  );
  mount(more, b);
}

// ---- dialogs ----

export interface DialogOptions {
  title: string;
  body?: Child;
  confirm: string; // the confirm button's words: what it does ("驳回 3 笔")
  cancel?: string;
  danger?: boolean; // the confirm button in red: it takes money back or cannot be undone
}

export interface ReasonOptions extends DialogOptions {
  label: string; // the reason field's label
  hint?: string;
  max?: number; // characters (the server's limit)
}

let dialogSeq = 0;

// Characters the server refuses in a reason: control characters and line
// separators (a reason is one line the member reads).
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

// A modal dialog in the page's own style instead of window.confirm: the
// title and body say what will happen, Enter confirms and Esc cancels, Tab
// stays inside it (the rest of the page is inert meanwhile) and focus goes
// back where it was.  With a reason field the confirm checks it first.
function openDialog(o: DialogOptions, field?: { input: HTMLTextAreaElement; check: () => string | null }): Promise<boolean> {
  const n = ++dialogSeq;
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const cancelBtn = h('button', { type: 'button', 'data-testid': 'dialog-cancel' }, o.cancel ?? t('dialog.cancel'));
  const confirmBtn = h('button', { type: 'button', class: o.danger ? 'danger' : 'primary', 'data-testid': 'dialog-confirm' }, o.confirm);
  const error = h('p', { class: 'form-error neg', role: 'alert', 'data-testid': 'dialog-error' });
  const box = h(
    'div',
    { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `dlg-title-${n}`, 'aria-describedby': o.body ? `dlg-body-${n}` : null, 'data-testid': 'dialog' },
    h('h2', { id: `dlg-title-${n}` }, o.title),
    o.body ? h('div', { id: `dlg-body-${n}`, class: 'dialog-body' }, o.body) : null,
    field ? field.input.closest('label') ?? field.input : null,
    error,
    h('div', { class: 'dialog-actions' }, cancelBtn, confirmBtn),
  );
  const backdrop = h('div', { class: 'dialog-backdrop', 'data-testid': 'dialog-backdrop' }, box);
  // the page behind: out of reach of Tab, clicks and screen readers
  const others = [...document.body.children].filter((el) => !el.hasAttribute('inert') && el.id !== 'toast');
  for (const el of others) el.setAttribute('inert', '');
  document.body.append(backdrop);

  return new Promise<boolean>((resolve) => {
    const close = (yes: boolean) => {
      backdrop.remove();
      for (const el of others) el.removeAttribute('inert');
      before?.focus();
      resolve(yes);
    };
    const confirm = () => {
      const problem = field?.check() ?? null;
      if (problem) {
        error.textContent = problem;
        field?.input.setAttribute('aria-invalid', 'true');
        field?.input.focus();
        return;
      }
      close(true);
    };
    // a corrected reason: the complaint about the last one goes
    field?.input.addEventListener('input', () => (error.textContent = ''));
    cancelBtn.addEventListener('click', () => close(false));
    confirmBtn.addEventListener('click', confirm);
    backdrop.addEventListener('mousedown', (e) => {
      if (e.target === backdrop) close(false);
    });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        close(false);
      } else if (e.key === 'Enter' && !e.isComposing && !(e.target instanceof HTMLButtonElement)) {
        // Enter confirms (a reason is one line: no line breaks to type)
        e.preventDefault();
        confirm();
      } else if (e.key === 'Tab') {
        const stops = [...box.querySelectorAll<HTMLElement>('button, textarea, input, select, a[href]')].filter((el) => !el.hasAttribute('disabled'));
        const first = stops[0];
        const last = stops[stops.length - 1];
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first?.focus();
        }
      }
    });
    (field?.input ?? confirmBtn).focus();
  });
}

// Asks before a consequential action; true when confirmed.
export function confirmDialog(o: DialogOptions): Promise<boolean> {
  return openDialog(o);
}

// Asks for a reason before an action the reason goes with (a rejection its
// member is shown): the reason, trimmed, or null when cancelled.  It must
// say something, in at most `max` characters, on one line.
export async function reasonDialog(o: ReasonOptions): Promise<string | null> {
  const max = o.max ?? 200;
  const input = h('textarea', { rows: 3, 'data-testid': 'dialog-reason', 'aria-required': 'true' });
  const counter = h('span', { class: 'muted small', 'aria-live': 'polite' });
  const recount = () => {
    counter.textContent = `${[...input.value].length}/${max}`;
  };
  input.addEventListener('input', () => {
    input.removeAttribute('aria-invalid');
    recount();
  });
  recount();
  h('label', { class: 'block dialog-field' }, o.label, input, h('span', { class: 'row small' }, o.hint ? h('span', { class: 'muted grow' }, o.hint) : null, counter));
  const check = () => {
    const v = input.value.trim();
    if (!v) return t('dialog.reasonRequired');
    if ([...v].length > max) return t('dialog.reasonTooLong', { max });
    if (CONTROL.test(v)) return t('dialog.reasonControl');
    return null;
  };
  return (await openDialog(o, { input, check })) ? input.value.trim() : null;
}
