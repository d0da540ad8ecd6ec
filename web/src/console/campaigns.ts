// 活动: the promotion head's campaigns — the list (status, union and
// merchant filters in the address, adding one) and a campaign's page: its
// windows, its status moves (with a reason), its products (add, edit,
// approve, remove, a pasted product sheet) and its slot fees (book,
// collect, waive) with their totals.  Rates are per mille on the wire and
// shown as percentages; money is fen shown as yuan.
import './promo-messages';
import './channels-messages';
import { ApiError, enc, newIdempotencyKey, queryString } from '../lib/api';
import type { components } from '../lib/api-types';
import { failure, h, region, toast } from '../lib/dom';
import { date, dateTime, parseYuan, yuan } from '../lib/format';
import { t, type MessageKey } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { UNIONS, field, input, refused } from './merchants';
import { gate } from './roles';
import { api } from './session';
import { badge, card, confirmDialog, facts, heading, money, reasonDialog, row, table, unionName } from './ui';

type Campaign = components['schemas']['Campaign'];
type CampaignPage = components['schemas']['CampaignPage'];
type Item = components['schemas']['CampaignItem'];
type SlotFee = components['schemas']['SlotFee'];
type ChannelPage = components['schemas']['ChannelPage'];

const STATUSES = ['pending', 'approved', 'rejected', 'ended'] as const;
type Status = (typeof STATUSES)[number];

// The moves the server allows (src/core/promo_rules.c), with their button.
const MOVES: Record<Status, Array<[Status, 'promo.approve' | 'promo.reject' | 'promo.end' | 'promo.reapply']>> = {
  pending: [
    ['approved', 'promo.approve'],
    ['rejected', 'promo.reject'],
  ],
  approved: [['ended', 'promo.end']],
  rejected: [['pending', 'promo.reapply']],
  ended: [],
};

// 205 per mille -> "20.5%"; exact, no floating point.
export function permille(pm: number): string {
  const whole = Math.trunc(pm / 10);
  const tenth = Math.abs(pm % 10);
  return tenth ? `${whole}.${tenth}%` : `${whole}%`;
}

// The merchant by name, linked to its page (the id if the name is empty).
function merchantLink(c: Campaign): HTMLElement {
  return h('a', { href: `#/merchants/${c.merchant}`, 'data-testid': 'campaign-merchant' }, c.merchant_name || `#${c.merchant}`);
}

function windowText(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return '—';
  return t('promo.window', { from: date(from), to: date(to) });
}

export function campaignsPage(_p: Record<string, string>, query: URLSearchParams): void {
  const q: Record<string, string> = {};
  for (const k of ['status', 'union', 'merchant']) {
    const v = (query.get(k) ?? '').trim();
    if (v) q[k] = v;
  }
  const main = page(t('promo.campaigns'));
  const refilter = () => go(`/campaigns${queryString({ status: statusSel.value || undefined, union: unionSel.value || undefined, merchant: merchantIn.value.trim() || undefined })}`);
  const statusSel = h(
    'select',
    { 'data-testid': 'campaign-status-filter', 'aria-label': t('promo.status'), onchange: refilter },
    h('option', { value: '' }, t('promo.any')),
    STATUSES.map((s) => h('option', { value: s, selected: q.status === s }, t(`promo.status.${s}`))),
  );
  const unionSel = h(
    'select',
    { 'data-testid': 'campaign-union-filter', 'aria-label': t('promo.union'), onchange: refilter },
    h('option', { value: '' }, t('promo.any')),
    UNIONS.map((u) => h('option', { value: u, selected: q.union === u }, unionName(u))),
  );
  const merchantIn = input('campaign-merchant-filter', q.merchant ?? '', { inputmode: 'numeric', 'aria-label': t('promo.merchantId'), placeholder: t('promo.merchantId') });
  const filters = h(
    'form',
    { class: 'row toolbar', onsubmit: (e: Event) => (e.preventDefault(), refilter()) },
    statusSel,
    unionSel,
    merchantIn,
    h('button', { type: 'submit', 'data-testid': 'campaign-filter' }, t('promo.filter')),
    gate(h('button', { type: 'button', class: 'primary', 'data-testid': 'campaign-add', onclick: () => addCampaign(q.merchant) }, t('promo.addCampaign')), 'promo', t('role.denied')),
  );
  const list = h('div', { 'data-testid': 'campaigns' });
  main.append(heading(t('promo.campaigns'), t('promo.campaignsIntro')), filters, list);
  void region(
    list,
    () => api.get<CampaignPage>('/campaigns', { ...q, limit: 100 }),
    (doc) =>
      doc.campaigns.length
        ? card(
            null,
            null,
            table(
              t('promo.campaigns'),
              [t('promo.campaignName'), t('promo.merchant'), t('promo.union'), t('promo.status'), t('promo.promote'), t('promo.extId')],
              doc.campaigns.map((c) =>
                row(
                  [
                    h('a', { href: `#/campaigns/${c.id}`, 'data-testid': 'campaign-link' }, c.name),
                    merchantLink(c),
                    unionName(c.union),
                    badge(c.status, 'promo.status'),
                    windowText(c.promote_from, c.promote_to),
                    c.ext_id || '—',
                  ],
                  { 'data-testid': `campaign-row-${c.id}` },
                ),
              ),
              'campaigns-table',
            ),
          )
        : h('div', { class: 'state empty', 'data-testid': 'campaigns-empty' }, t('promo.noCampaigns')),
  );
}

async function addCampaign(merchant?: string): Promise<void> {
  const m = input('campaign-merchant', merchant ?? '', { inputmode: 'numeric' });
  const union = h(
    'select',
    { 'data-testid': 'campaign-union' },
    UNIONS.map((u) => h('option', { value: u }, unionName(u))),
  );
  const name = input('campaign-name', '', { maxlength: '128' });
  const ext = input('campaign-ext', '');
  const dates = (['promote_from', 'promote_to', 'apply_from', 'apply_to'] as const).map((k) => [k, h('input', { type: 'date', 'data-testid': `campaign-${k}` })] as const);
  const labels = { promote_from: t('promo.promoteFrom'), promote_to: t('promo.promoteTo'), apply_from: t('promo.applyFrom'), apply_to: t('promo.applyTo') };
  const body = h(
    'div',
    { class: 'dialog-form' },
    field(t('promo.merchantId'), m),
    field(t('promo.union'), union),
    field(t('promo.campaignName'), name),
    field(t('promo.extId'), ext),
    dates.map(([k, el]) => field(labels[k], el)),
  );
  if (!(await confirmDialog({ title: t('promo.addCampaign'), body, confirm: t('common.save') }))) return;
  const doc: Record<string, unknown> = { merchant: Number(m.value.trim()), union: union.value, name: name.value.trim() };
  if (ext.value.trim()) doc.ext_id = ext.value.trim();
  for (const [k, el] of dates) if (el.value) doc[k] = el.value;
  try {
    const c = await api.post<Campaign>('/campaigns', doc, newIdempotencyKey());
    toast(t('promo.saved'));
    go(`/campaigns/${c.id}`);
  } catch (e) {
    refused(e);
  }
}

// Asks for a product's fields: the PUT body, or null when cancelled.
async function itemDialog(title: string, it?: Item): Promise<{ product: string; body: Record<string, unknown> } | null> {
  const product = input('item-product', it?.product ?? '', it ? { readonly: 'true' } : {});
  const titleIn = input('item-title', it?.title ?? '');
  const category = input('item-category', it?.category ?? '');
  const price = input('item-price', it ? (it.price_fen / 100).toFixed(2) : '', { inputmode: 'decimal' });
  const coupon = input('item-coupon', it ? (it.coupon_fen / 100).toFixed(2) : '', { inputmode: 'decimal' });
  const commission = input('item-commission', it ? permille(it.commission_permille) : '', { placeholder: t('promo.rateHint') });
  const service = input('item-service', it ? permille(it.service_fee_permille) : '', { placeholder: t('promo.rateHint') });
  const body = h(
    'div',
    { class: 'dialog-form' },
    field(t('promo.product'), product),
    field(t('promo.title'), titleIn),
    field(t('promo.category'), category),
    field(t('promo.price'), price),
    field(t('promo.coupon'), coupon),
    field(t('promo.commission'), commission),
    field(t('promo.service'), service),
  );
  if (!(await confirmDialog({ title, body, confirm: t('common.save') }))) return null;
  const fen = (el: HTMLInputElement): number | null => (el.value.trim() ? parseYuan(el.value) : 0);
  const p = fen(price);
  const c = fen(coupon);
  if (p === null || c === null) {
    toast(t('promo.badAmount'), 'error');
    return null;
  }
  // a rate goes as typed: the server reads "20.5%" exactly or refuses it
  return {
    product: product.value.trim(),
    body: {
      title: titleIn.value.trim(),
      category: category.value.trim(),
      price_fen: p,
      coupon_fen: c,
      commission_permille: commission.value.trim(),
      service_fee_permille: service.value.trim(),
    },
  };
}

function itemsCard(c: Campaign, reload: () => void): HTMLElement {
  const items = c.items ?? [];
  const put = async (it?: Item) => {
    const got = await itemDialog(it ? t('promo.editItem') : t('promo.addItem'), it);
    if (!got) return;
    if (!got.product) return toast(t('promo.required', { field: t('promo.product') }), 'error');
    try {
      await api.put(`/campaigns/${c.id}/items/${enc(got.product)}`, got.body);
      toast(t('promo.saved'));
      reload();
    } catch (e) {
      refused(e);
    }
  };
  const act = async (it: Item, what: 'approve' | 'remove') => {
    try {
      if (what === 'remove') {
        if (!(await confirmDialog({ title: t('promo.remove'), body: t('promo.removeItemConfirm', { product: it.product }), confirm: t('promo.remove'), danger: true }))) return;
        await api.del(`/campaigns/${c.id}/items/${enc(it.product)}`);
      } else {
        await api.post(`/campaigns/${c.id}/items/${enc(it.product)}/status`, { status: 'approved' });
      }
      reload();
    } catch (e) {
      refused(e);
    }
  };
  const sheet = h('textarea', {
    rows: 4,
    'data-testid': 'item-sheet',
    'aria-label': t('promo.sheet'),
    placeholder: 'product,title,category,price_fen,commission_permille,service_fee_permille,coupon_fen,coupon_url\nP1,…,…,9900,20.5%,50,0,',
  });
  const importSheet = async () => {
    try {
      const r = await api.post<{ added: number; changed: number }>(`/campaigns/${c.id}/items/import`, { csv: sheet.value, name: 'sheet.csv' });
      toast(t('promo.imported', { added: r.added, changed: r.changed }));
      reload();
    } catch (e) {
      // the sheet's line the error is on comes as a param of its own
      const line = e instanceof ApiError ? e.params.line : undefined;
      toast(`${line !== undefined ? t('promo.atLine', { line: String(line) }) : ''}${failure(e).textContent ?? ''}`, 'error');
    }
  };
  const open = c.status !== 'ended';
  return card(
    t('promo.items'),
    'campaign-items',
    items.length
      ? table(
          t('promo.items'),
          [
            t('promo.product'),
            t('promo.title'),
            t('promo.category'),
            { label: t('promo.price'), num: true },
            { label: t('promo.commission'), num: true },
            { label: t('promo.service'), num: true },
            { label: t('promo.coupon'), num: true },
            t('promo.status'),
            t('promo.actions'),
          ],
          items.map((it) =>
            row(
              [
                it.product,
                it.title || '—',
                it.category || '—',
                money(it.price_fen),
                { v: permille(it.commission_permille), num: true, testid: 'item-commission-value' },
                { v: permille(it.service_fee_permille), num: true },
                money(it.coupon_fen),
                badge(it.status, 'promo.status'),
                h(
                  'span',
                  { class: 'row' },
                  open ? gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'item-edit', onclick: () => put(it) }, t('promo.edit')), 'promo', t('role.denied')) : null,
                  it.status === 'pending'
                    ? gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'item-approve', onclick: () => act(it, 'approve') }, t('promo.approve')), 'promo', t('role.denied'))
                    : null,
                  h('a', { href: `#/matching${queryString({ campaign: c.id, item: it.id })}`, class: 'link-button', 'data-testid': 'item-match' }, t('promo.matchChannels')),
                  it.status === 'pending'
                    ? gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'item-remove', onclick: () => act(it, 'remove') }, t('promo.remove')), 'promo', t('role.denied'))
                    : null,
                ),
              ],
              { 'data-testid': `item-${it.product}` },
            ),
          ),
          'items-table',
        )
      : h('div', { class: 'state empty' }, t('promo.noItems')),
    open ? h('div', { class: 'actions' }, gate(h('button', { type: 'button', 'data-testid': 'item-add', onclick: () => put() }, t('promo.addItem')), 'promo', t('role.denied'))) : null,
    open
      ? h(
          'details',
          { 'data-testid': 'item-sheet-box' },
          h('summary', null, t('promo.sheet')),
          h('p', { class: 'muted small' }, t('promo.sheetHint')),
          sheet,
          gate(h('button', { type: 'button', 'data-testid': 'item-import', onclick: importSheet }, t('promo.import')), 'promo', t('role.denied')),
        )
      : null,
  );
}

function slotsCard(c: Campaign, reload: () => void): HTMLElement {
  const fees = c.slot_fees ?? [];
  const totals = (c.slot_totals ?? {}) as { booked_fen?: number; collected_fen?: number; waived_fen?: number };
  // the partner channels by name and kind, filled when they arrive
  const channel = h('select', { 'data-testid': 'slot-channel', 'aria-label': t('promo.channelName'), required: true }, h('option', { value: '' }, t('promo.pickChannel')));
  const booked = new Set(fees.map((f) => f.channel));
  if (c.status !== 'ended')
    api.get<ChannelPage>('/channels', { limit: 100 }).then(
      (doc) => {
        const free = doc.channels.filter((ch) => !booked.has(ch.id));
        if (!free.length) channel.replaceChildren(h('option', { value: '' }, t('promo.noChannels')));
        for (const ch of free) channel.append(h('option', { value: String(ch.id) }, `${ch.name} · ${t(`ch.kind.${ch.kind}` as MessageKey)}`));
      },
      (e: unknown) => refused(e),
    );
  const amount = input('slot-amount', '', { inputmode: 'decimal', 'aria-label': t('promo.amount'), placeholder: t('promo.amount') });
  const note = input('slot-note', '', { 'aria-label': t('promo.note'), placeholder: t('promo.note') });
  const book = async (e: Event) => {
    e.preventDefault();
    const fen = parseYuan(amount.value);
    if (fen === null || fen <= 0) return toast(t('promo.badAmount'), 'error');
    if (!channel.value) return toast(t('promo.required', { field: t('promo.channelName') }), 'error');
    try {
      await api.post(`/campaigns/${c.id}/slot-fees`, { channel: Number(channel.value.trim()), amount_fen: fen, note: note.value.trim() }, newIdempotencyKey());
      toast(t('promo.saved'));
      reload();
    } catch (err) {
      refused(err);
    }
  };
  const settle = async (f: SlotFee, what: 'collect' | 'waive') => {
    if (what === 'waive' && !(await confirmDialog({ title: t('promo.waive'), body: t('promo.waiveConfirm', { amount: yuan(f.amount_fen) }), confirm: t('promo.waive'), danger: true }))) return;
    try {
      await api.post(`/slot-fees/${f.id}/${what}`);
      reload();
    } catch (e) {
      refused(e);
    }
  };
  return card(
    t('promo.slotFees'),
    'campaign-slots',
    fees.length
      ? table(
          t('promo.slotFees'),
          [t('promo.channelName'), { label: t('promo.amount'), num: true }, t('promo.state'), t('promo.bookedAt'), t('promo.note'), t('promo.actions')],
          fees.map((f) =>
            row(
              [
                h('a', { href: `#/channels/${f.channel}`, 'data-testid': 'slot-channel-name' }, f.channel_name || `#${f.channel}`),
                money(f.amount_fen),
                badge(f.state, 'promo.slot'),
                dateTime(f.booked_at),
                f.note || '—',
                f.state === 'booked'
                  ? h(
                      'span',
                      { class: 'row' },
                      gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'slot-collect', onclick: () => settle(f, 'collect') }, t('promo.collect')), 'collect', t('role.denied')),
                      gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'slot-waive', onclick: () => settle(f, 'waive') }, t('promo.waive')), 'promo', t('role.denied')),
                    )
                  : '—',
              ],
              { 'data-testid': `slot-${f.id}` },
            ),
          ),
          'slots-table',
        )
      : h('div', { class: 'state empty' }, t('promo.noSlotFees')),
    facts([
      [t('promo.totalBooked'), yuan(totals.booked_fen ?? 0), 'slot-total-booked'],
      [t('promo.totalCollected'), yuan(totals.collected_fen ?? 0), 'slot-total-collected'],
      [t('promo.totalWaived'), yuan(totals.waived_fen ?? 0), 'slot-total-waived'],
    ]),
    c.status !== 'ended'
      ? h('form', { class: 'row', onsubmit: book }, channel, amount, note, gate(h('button', { type: 'submit', 'data-testid': 'slot-book' }, t('promo.book')), 'promo', t('role.denied')))
      : null,
  );
}

export function campaignPage(params: Record<string, string>): void {
  const id = Number(params.id);
  const main = page(t('promo.campaigns'));
  const body = h('div');
  main.append(body);
  const load = () =>
    void region(
      body,
      () => api.get<Campaign>(`/campaigns/${enc(String(id))}`),
      (c) => {
        const move = async (to: Status) => {
          const reason = await reasonDialog({
            title: t('promo.statusTitle'),
            body: t('promo.statusBody', { status: t(`promo.status.${to}`) }),
            confirm: t('dialog.ok'),
            label: t('promo.reason'),
            max: 500,
            danger: to === 'rejected' || to === 'ended',
          });
          if (reason === null) return;
          try {
            await api.post(`/campaigns/${c.id}/status`, { status: to, reason });
            toast(t('promo.saved'));
            load();
          } catch (e) {
            refused(e);
          }
        };
        const moves = MOVES[c.status];
        return [
          heading(c.name, h('span', null, badge(c.status, 'promo.status'))),
          card(
            null,
            'campaign-facts',
            facts([
              [t('promo.merchant'), merchantLink(c)],
              [t('promo.union'), unionName(c.union)],
              [t('promo.extId'), c.ext_id || '—'],
              [t('promo.promote'), windowText(c.promote_from, c.promote_to), 'campaign-promote'],
              [t('promo.apply'), windowText(c.apply_from, c.apply_to)],
              [t('promo.status'), badge(c.status, 'promo.status'), 'campaign-status'],
            ]),
            h(
              'div',
              { class: 'actions', 'data-testid': 'campaign-moves' },
              moves.map(([to, key]) => gate(h('button', { type: 'button', 'data-testid': `campaign-to-${to}`, onclick: () => move(to) }, t(key)), 'promo', t('role.denied'))),
            ),
          ),
          itemsCard(c, load),
          slotsCard(c, load),
        ];
      },
    );
  load();
}
