// My union tags (the ids that credit union orders to me) and the Taobao
// authorization walk-through: a button per kind the operator set up fetches
// Taobao's authorize page from the server and goes there; Taobao sends the
// member back through the server's callback to /m/#taobao=ok|error&..., the
// outcome this page then says in words.
import { h } from '../lib/dom';
import { t, tOr } from '../lib/i18n';
import type { Me } from './types';
import { api, myId } from './session';
import { errorWords, section, show } from './ui';

interface Tag {
  union: string;
  kind: string;
  value: string;
}

// The outcome Taobao's callback sent back, taken from the address once.
export interface TaobaoOutcome {
  ok: boolean;
  kind: string;
  value: string;
  code: string;
  unionCode: string;
  message: string;
}

let pending: TaobaoOutcome | null = null;

// Reads "#taobao=..." off the address (the callback's redirect) and leaves
// the member on the "me" screen; false when the address holds no outcome.
export function takeTaobaoOutcome(): boolean {
  if (!location.hash.startsWith('#taobao=')) return false;
  const q = new URLSearchParams(location.hash.slice(1));
  pending = {
    ok: q.get('taobao') === 'ok',
    kind: q.get('kind') ?? '',
    value: q.get('value') ?? '',
    code: q.get('code') ?? '',
    unionCode: q.get('union_code') ?? '',
    message: q.get('message') ?? '',
  };
  history.replaceState(null, '', `${location.pathname}${location.search}#/me`);
  return true;
}

function kindName(kind: string): string {
  return kind === 'special_id' ? t('unions.special_id') : kind === 'relation_id' ? t('unions.relation_id') : kind;
}

function outcomeNote(o: TaobaoOutcome): HTMLElement {
  if (o.ok)
    return h('p', { class: 'p-notice ok', role: 'status', 'data-testid': 'taobao-outcome' }, t('unions.bound', { kind: kindName(o.kind), value: o.value }));
  const known = ['state_used', 'state_expired', 'state_unknown', 'denied', 'union_refused', 'union_unavailable', 'not_configured', 'bad_code'];
  const words = tOr(`unions.error.${known.includes(o.code) ? o.code : 'failed'}`, o.code);
  const detail = o.unionCode ? t('unions.unionSaid', { code: o.unionCode, message: o.message }) : o.message;
  return h('p', { class: 'p-notice error', role: 'alert', 'data-testid': 'taobao-outcome' }, words, detail ? h('br') : null, detail || null);
}

async function authorize(kind: string, btn: HTMLButtonElement, note: HTMLElement): Promise<void> {
  btn.disabled = true;
  try {
    const r = await api.post<{ url: string }>('/me/taobao/authorize', { kind });
    location.assign(r.url);
  } catch (e) {
    btn.disabled = false;
    note.replaceChildren(h('p', { class: 'p-notice error', role: 'alert' }, errorWords(e)));
  }
}

function tagsCard(tags: Tag[], offer: string[]): HTMLElement {
  const note = h('div');
  const rows = tags.map((g) =>
    h(
      'div',
      { class: 'p-copyrow', 'data-testid': 'union-tag', 'data-union': g.union, 'data-kind': g.kind },
      h('div', { class: 'p-copyrow-text' }, h('div', { class: 'p-tile-label' }, `${tOr(`union.${g.union}`, g.union)} · ${kindName(g.kind)}`), h('div', { class: 'p-copyrow-value' }, g.value)),
    ),
  );
  const held = new Set(tags.filter((g) => g.union === 'taobao').map((g) => g.kind));
  const buttons = offer
    .filter((k) => !held.has(k))
    .map((kind) => {
      const btn = h('button', { type: 'button', class: 'p-block', 'data-testid': `taobao-authorize-${kind}` }, tOr(`unions.authorize.${kind}`, kind));
      btn.addEventListener('click', () => void authorize(kind, btn, note));
      return btn;
    });
  return h(
    'div',
    { class: 'p-card' },
    pending ? outcomeNote(pending) : null,
    rows.length ? rows : h('p', { class: 'muted' }, t('unions.none')),
    buttons.length ? h('p', { class: 'muted' }, t('unions.authorizeNote')) : null,
    ...buttons,
    note,
  );
}

// The "my union ids" section of the me screen.
export function unionsSection(): HTMLElement {
  const box = h('div');
  void show(
    box,
    async () => {
      const [mine, who] = await Promise.all([api.get<{ tags: Tag[] }>(`/members/${encodeURIComponent(myId())}/tags`), api.get<Me>('/me')]);
      return { tags: mine.tags, offer: who.taobao_authorize ?? [] };
    },
    (v) => {
      const card = tagsCard(v.tags, v.offer);
      pending = null; // said once
      return card;
    },
  );
  return section(t('unions.title'), box);
}
