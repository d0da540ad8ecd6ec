// Partner channels: the list (filters by kind, state, category and a part
// of the name, kept in the address; adding one) and a channel's page (its
// fields to change, its union ids to add or remove — adding one links the
// campaign orders stored under it — its campaign orders per month, slot
// fees, and the campaign products that suit it with their reasons).
import './channels-messages';
import { enc, newIdempotencyKey, queryString } from '../lib/api';
import { failure, h, mount, region, toast } from '../lib/dom';
import { count, dateTime, yuan } from '../lib/format';
import { t, type MessageKey } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { reasonList, type Reason } from './matching';
import { gate } from './roles';
import { api } from './session';
import { card, confirmDialog, facts, heading, money, num, row, table, unionName } from './ui';

const KINDS = ['team', 'talent', 'app', 'wechat', 'weibo', 'zhihu', 'guide', 'other'] as const;
const STATES = ['active', 'paused', 'blocked'] as const;
const ID_KINDS: Record<string, string[]> = { jd: ['rid', 'channelId'], pdd: ['duoid'], taobao: ['relation_id', 'pub_id'] };
const FILTERS = ['kind', 'state', 'category', 'name'] as const;

interface ChannelId {
  union: string;
  kind: string;
  value: string;
}
interface Channel {
  id: number;
  name: string;
  kind: string;
  contact: string;
  categories: string[];
  note: string;
  state: string;
  ids?: ChannelId[];
}
interface History {
  months: Array<{ month: number; orders: number; paid: number; gmv_fen: number; service_fee_fen: number; refunded: number }>;
  slot_fees: Array<{ id: number; campaign_name: string; amount_fen: number; state: string; booked_at: string }>;
}
interface Suits {
  days: number;
  avg_price_fen: number;
  products: Array<{ id: number; campaign: number; title: string; category: string; price_fen: number; score: number; reasons: Reason[] }>;
}

const kindWords = (k: string) => t(`ch.kind.${k}` as MessageKey);
const stateWords = (s: string) => t(`ch.state.${s}` as MessageKey);
const stateBadge = (s: string) => h('span', { class: `badge ${s === 'blocked' ? 'bad' : s === 'paused' ? 'warn' : 'ok'}`, 'data-testid': 'ch-state' }, stateWords(s));
const splitCats = (s: string) =>
  s
    .split(/[,，]/)
    .map((c) => c.trim())
    .filter(Boolean);

function select(id: string, values: readonly string[], words: (v: string) => string, picked: string, any = false): HTMLSelectElement {
  return h(
    'select',
    { id, 'data-testid': id },
    any ? h('option', { value: '' }, t('ch.any')) : null,
    values.map((v) => h('option', { value: v, selected: v === picked }, words(v))),
  );
}

// The fields of a channel as a form (add and edit).
function fields(c?: Channel) {
  const name = h('input', { id: 'ch-f-name', value: c?.name ?? '', maxlength: '128', required: true, 'data-testid': 'ch-f-name' });
  const kind = select('ch-f-kind', KINDS, kindWords, c?.kind ?? 'team');
  const state = select('ch-f-state', STATES, stateWords, c?.state ?? 'active');
  const cats = h('input', { id: 'ch-f-categories', value: (c?.categories ?? []).join(', '), 'data-testid': 'ch-f-categories' });
  const contact = h('input', { id: 'ch-f-contact', value: c?.contact ?? '', maxlength: '256', 'data-testid': 'ch-f-contact' });
  const note = h('input', { id: 'ch-f-note', value: c?.note ?? '', maxlength: '1024', 'data-testid': 'ch-f-note' });
  const box = h(
    'div',
    { class: 'ch-fields' },
    h('label', { for: 'ch-f-name', class: 'block' }, t('ch.name'), name),
    h('label', { for: 'ch-f-kind', class: 'block' }, t('ch.kind'), kind),
    c ? h('label', { for: 'ch-f-state', class: 'block' }, t('ch.state'), state) : null,
    h('label', { for: 'ch-f-categories', class: 'block' }, t('ch.categories'), cats, h('span', { class: 'muted small' }, t('ch.categoriesHint'))),
    h('label', { for: 'ch-f-contact', class: 'block' }, t('ch.contact'), contact),
    h('label', { for: 'ch-f-note', class: 'block' }, t('ch.note'), note),
  );
  const value = () => ({
    name: name.value.trim(),
    kind: kind.value,
    categories: splitCats(cats.value),
    contact: contact.value.trim(),
    note: note.value.trim(),
    ...(c ? { state: state.value } : {}),
  });
  return { box, value };
}

export function channelsPage(_p: Record<string, string>, query: URLSearchParams): void {
  const q: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = (query.get(f) ?? '').trim();
    if (v) q[f] = v;
  }
  const main = page(t('ch.title'));
  const kind = select('ch-kind', KINDS, kindWords, q.kind ?? '', true);
  const state = select('ch-state', STATES, stateWords, q.state ?? '', true);
  const category = h('input', { id: 'ch-category', value: q.category ?? '', 'data-testid': 'ch-category' });
  const name = h('input', { id: 'ch-name', type: 'search', value: q.name ?? '', 'data-testid': 'ch-name' });
  const filter = h(
    'form',
    {
      class: 'row',
      'data-testid': 'ch-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        go(`/channels${queryString({ kind: kind.value, state: state.value, category: category.value.trim(), name: name.value.trim() })}`);
      },
    },
    h('label', { for: 'ch-kind' }, t('ch.kind'), kind),
    h('label', { for: 'ch-state' }, t('ch.state'), state),
    h('label', { for: 'ch-category' }, t('ch.category'), category),
    h('label', { for: 'ch-name' }, t('ch.nameHas'), name),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'ch-apply' }, t('ch.apply')),
    h('a', { href: '#/channels', class: 'link-button' }, t('ch.clear')),
  );
  const addBtn = gate(h('button', { type: 'button', class: 'primary', 'data-testid': 'ch-add' }, t('ch.add')), 'channels', t('ch.denied'));
  addBtn.addEventListener('click', async () => {
    const f = fields();
    if (!(await confirmDialog({ title: t('ch.add'), body: f.box, confirm: t('ch.save') }))) return;
    try {
      const c = await api.post<Channel>('/channels', f.value(), newIdempotencyKey());
      toast(t('ch.added'));
      go(`/channels/${c.id}`);
    } catch (e) {
      toast(failure(e).textContent ?? '', 'error');
    }
  });
  const list = h('div', { 'data-testid': 'ch-list' });
  mount(main, heading(t('ch.title'), t('ch.intro')), card(null, null, filter, h('div', { class: 'row' }, addBtn)), list);
  void region(
    list,
    () => api.get<{ channels: Channel[] }>('/channels', { ...q, limit: 100 }),
    (p) =>
      p.channels.length
        ? card(
            null,
            'channels',
            table(
              t('ch.title'),
              [t('ch.name'), t('ch.kind'), t('ch.state'), t('ch.categories'), t('ch.contact')],
              p.channels.map((c) =>
                row([h('a', { href: `#/channels/${c.id}`, 'data-testid': 'ch-link' }, c.name), kindWords(c.kind), stateBadge(c.state), c.categories.join('、'), c.contact], {
                  'data-testid': `ch-row-${c.id}`,
                }),
              ),
              'ch-table',
            ),
          )
        : card(null, 'channels', h('div', { class: 'state empty' }, t('ch.none'))),
  );
}

export function channelPage(p: Record<string, string>): void {
  const id = p.id ?? '';
  const main = page(t('ch.title'));
  const body = h('div');
  mount(main, body);
  const again = () => channelPage(p);
  void region(
    body,
    () => Promise.all([api.get<Channel>(`/channels/${enc(id)}`), api.get<History>(`/channels/${enc(id)}/history`), api.get<Suits>(`/channels/${enc(id)}/products`)]),
    ([c, hist, suits]) => [
      heading(c.name, h('span', null, kindWords(c.kind), ' · ', stateBadge(c.state))),
      h('div', { class: 'cols' }, fieldsCard(c, again), idsCard(c, again)),
      historyCard(hist),
      slotCard(hist),
      suitsCard(suits),
    ],
  );
}

function fieldsCard(c: Channel, again: () => void): HTMLElement {
  const edit = gate(h('button', { type: 'button', 'data-testid': 'ch-edit' }, t('ch.edit')), 'channels', t('ch.denied'));
  edit.addEventListener('click', async () => {
    const f = fields(c);
    if (!(await confirmDialog({ title: t('ch.edit'), body: f.box, confirm: t('ch.save') }))) return;
    try {
      await api.request('PATCH', `/channels/${c.id}`, { body: f.value() });
      toast(t('ch.saved'));
      again();
    } catch (e) {
      toast(failure(e).textContent ?? '', 'error');
    }
  });
  return card(
    null,
    'ch-fields',
    facts([
      [t('ch.kind'), kindWords(c.kind)],
      [t('ch.state'), stateWords(c.state), 'ch-fact-state'],
      [t('ch.categories'), c.categories.join('、') || '—', 'ch-fact-categories'],
      [t('ch.contact'), c.contact || '—'],
      [t('ch.note'), c.note || '—'],
    ]),
    h('div', { class: 'row' }, edit),
  );
}

function idsCard(c: Channel, again: () => void): HTMLElement {
  const union = select('ch-id-union', Object.keys(ID_KINDS), unionName, 'jd');
  const kind = h('select', { id: 'ch-id-kind', 'data-testid': 'ch-id-kind' });
  const fillKinds = () =>
    mount(
      kind,
      (ID_KINDS[union.value] ?? []).map((k) => h('option', { value: k }, t(`ch.idKind.${k}` as MessageKey))),
    );
  union.addEventListener('change', fillKinds);
  fillKinds();
  const value = h('input', { id: 'ch-id-value', maxlength: '95', required: true, 'data-testid': 'ch-id-value' });
  const add = gate(h('button', { type: 'submit', 'data-testid': 'ch-id-add' }, t('ch.addId')), 'channels', t('ch.denied'));
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!value.value.trim()) return;
        try {
          const r = await api.post<{ linked_orders: number }>(`/channels/${c.id}/ids`, { union: union.value, kind: kind.value, value: value.value.trim() }, newIdempotencyKey());
          toast(t('ch.idAdded', { n: r.linked_orders }));
          again();
        } catch (err) {
          toast(failure(err).textContent ?? '', 'error');
        }
      },
    },
    h('label', { for: 'ch-id-union' }, t('ch.union'), union),
    h('label', { for: 'ch-id-kind' }, t('ch.idKind'), kind),
    h('label', { for: 'ch-id-value' }, t('ch.idValue'), value),
    add,
  );
  const ids = c.ids ?? [];
  return card(
    t('ch.ids'),
    'ch-ids',
    h('p', { class: 'muted small' }, t('ch.idsHint')),
    ids.length
      ? table(
          t('ch.ids'),
          [t('ch.union'), t('ch.idKind'), t('ch.idValue'), ''],
          ids.map((x) => {
            const rm = gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'ch-id-remove' }, t('ch.removeId')), 'channels', t('ch.denied'));
            rm.addEventListener('click', async () => {
              if (!(await confirmDialog({ title: t('ch.removeId'), body: t('ch.removeIdConfirm', { value: x.value }), confirm: t('ch.removeId'), danger: true }))) return;
              try {
                await api.del(`/channels/${c.id}/ids/${enc(x.union)}/${enc(x.kind)}/${enc(x.value)}`);
                toast(t('ch.idRemoved'));
                again();
              } catch (err) {
                toast(failure(err).textContent ?? '', 'error');
              }
            });
            return row([unionName(x.union), t(`ch.idKind.${x.kind}` as MessageKey), x.value, rm], { 'data-testid': 'ch-id-row' });
          }),
          'ch-ids-table',
        )
      : h('div', { class: 'state empty' }, t('ch.noIds')),
    form,
  );
}

function historyCard(hist: History): HTMLElement {
  if (!hist.months.length) return card(t('ch.history'), 'ch-history', h('div', { class: 'state empty' }, t('ch.noHistory')));
  return card(
    t('ch.history'),
    'ch-history',
    table(
      t('ch.history'),
      [
        t('ch.month'),
        { label: t('ch.orders'), num: true },
        { label: t('ch.paid'), num: true },
        { label: t('ch.gmv'), num: true },
        { label: t('ch.serviceFee'), num: true },
        { label: t('ch.refunded'), num: true },
      ],
      hist.months.map((m) =>
        row([`${String(m.month).slice(0, 4)}-${String(m.month).slice(4)}`, num(m.orders), num(m.paid), money(m.gmv_fen, 'ch-month-gmv'), money(m.service_fee_fen), num(m.refunded)], {
          'data-testid': 'ch-month',
        }),
      ),
    ),
  );
}

function slotCard(hist: History): HTMLElement {
  if (!hist.slot_fees.length) return card(t('ch.slotFees'), 'ch-slots', h('div', { class: 'state empty' }, t('ch.noSlotFees')));
  return card(
    t('ch.slotFees'),
    'ch-slots',
    table(
      t('ch.slotFees'),
      [t('ch.campaign'), { label: t('ch.amount'), num: true }, t('ch.state'), t('ch.bookedAt')],
      hist.slot_fees.map((s) => row([s.campaign_name, money(s.amount_fen), t(`ch.slot.${s.state}` as MessageKey), dateTime(s.booked_at)], { 'data-testid': 'ch-slot' })),
    ),
  );
}

function suitsCard(s: Suits): HTMLElement {
  const sub = h('p', { class: 'muted small' }, t('ch.avgPrice', { days: s.days, price: yuan(s.avg_price_fen) }));
  if (!s.products.length) return card(t('ch.suits'), 'ch-suits', sub, h('div', { class: 'state empty' }, t('ch.noSuits')));
  return card(
    t('ch.suits'),
    'ch-suits',
    sub,
    table(
      t('ch.suits'),
      [t('ch.product'), t('ch.category'), { label: t('ch.price'), num: true }, { label: t('ch.score'), num: true }, t('ch.reasons'), ''],
      s.products.map((p) =>
        row(
          [
            p.title,
            p.category,
            money(p.price_fen),
            { v: count(p.score), num: true },
            reasonList(p.reasons),
            h('a', { href: `#/matching?campaign=${p.campaign}&item=${p.id}`, 'data-testid': 'ch-suit-match' }, t('ch.match')),
          ],
          { 'data-testid': `ch-suit-${p.id}` },
        ),
      ),
    ),
  );
}
