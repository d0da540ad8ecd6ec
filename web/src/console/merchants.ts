// 商家: the promotion head's merchants — the list (a name search and the
// state in the address), adding one, and a merchant's page (its fields in
// an edit dialog, archive / restore, its union shops, its campaigns).
// GET/POST /merchants, GET/PATCH /merchants/{id}, POST and DELETE its shops.
import './promo-messages';
import { enc, newIdempotencyKey, queryString } from '../lib/api';
import { failure, h, region, toast } from '../lib/dom';
import { dateTime } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import type { components } from '../lib/api-types';
import { page } from './layout';
import { gate } from './roles';
import { api } from './session';
import { badge, card, confirmDialog, facts, heading, row, searchForm, table, unionName } from './ui';

export type Merchant = components['schemas']['Merchant'];
export type Shop = components['schemas']['Shop'];
type MerchantPage = components['schemas']['MerchantPage'];

export const UNIONS = ['jd', 'taobao', 'pdd'] as const;

// A toast with the server's refusal in the reader's words.
export function refused(e: unknown): void {
  toast(failure(e).textContent ?? '', 'error');
}

// A labelled field for a dialog's form.
export function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', { class: 'block dialog-field' }, label, input);
}

export function input(testid: string, value = '', attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { type: 'text', value, autocomplete: 'off', 'data-testid': testid, ...attrs });
}

// Asks for a merchant's fields; the changed fields, or null when cancelled.
async function merchantDialog(title: string, m?: Merchant): Promise<Record<string, string> | null> {
  const fields: Array<[string, string, HTMLInputElement | HTMLTextAreaElement]> = [
    ['name', t('promo.name'), input('merchant-name', m?.name ?? '', { required: 'true', maxlength: '128' })],
    ['contact', t('promo.contact'), input('merchant-contact', m?.contact ?? '')],
    ['phone', t('promo.phone'), input('merchant-phone', m?.phone ?? '')],
    ['wechat', t('promo.wechat'), input('merchant-wechat', m?.wechat ?? '')],
    ['terms', t('promo.terms'), h('textarea', { rows: 2, 'data-testid': 'merchant-terms' }, m?.terms ?? '')],
  ];
  const form = h(
    'div',
    { class: 'dialog-form' },
    fields.map(([, label, el]) => field(label, el)),
  );
  if (!(await confirmDialog({ title, body: form, confirm: t('common.save') }))) return null;
  const out: Record<string, string> = {};
  for (const [k, , el] of fields) {
    const v = el.value.trim();
    if (!m || v !== (m[k as keyof Merchant] ?? '')) out[k] = v;
  }
  return out;
}

export function merchantsPage(_p: Record<string, string>, query: URLSearchParams): void {
  const q = (query.get('q') ?? '').trim();
  const state = query.get('state') ?? '';
  const main = page(t('promo.merchants'));
  const search = h('input', { type: 'search', value: q, 'data-testid': 'merchant-q', placeholder: t('promo.searchPlaceholder'), 'aria-label': t('promo.search') });
  const stateSel = h(
    'select',
    { 'data-testid': 'merchant-state', 'aria-label': t('promo.state'), onchange: () => go(`/merchants${queryString({ q: q || undefined, state: stateSel.value || undefined })}`) },
    h('option', { value: '' }, t('promo.any')),
    (['active', 'archived'] as const).map((s) => h('option', { value: s, selected: s === state }, t(`promo.state.${s}`))),
  );
  const add = gate(
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'merchant-add',
        onclick: async () => {
          const body = await merchantDialog(t('promo.addMerchant'));
          if (!body) return;
          try {
            const m = await api.post<Merchant>('/merchants', body, newIdempotencyKey());
            toast(t('promo.saved'));
            go(`/merchants/${m.id}`);
          } catch (e) {
            refused(e);
          }
        },
      },
      t('promo.addMerchant'),
    ),
    'promo',
    t('role.denied'),
  );
  const list = h('div', { 'data-testid': 'merchants' });
  main.append(
    heading(t('promo.merchants'), t('promo.merchantsIntro')),
    h(
      'div',
      { class: 'row toolbar' },
      searchForm('row grow', search, t('promo.search'), 'merchant-search', (words) => `/merchants${queryString({ q: words || undefined, state: state || undefined })}`),
      stateSel,
      add,
    ),
    list,
  );
  void region(
    list,
    () => api.get<MerchantPage>('/merchants', { q: q || undefined, state: state || undefined, limit: 100 }),
    (doc) =>
      doc.merchants.length
        ? card(
            null,
            null,
            table(
              t('promo.merchants'),
              [t('promo.name'), t('promo.contact'), t('promo.phone'), t('promo.state'), t('promo.created')],
              doc.merchants.map((m) =>
                row([h('a', { href: `#/merchants/${m.id}`, 'data-testid': 'merchant-link' }, m.name), m.contact || '—', m.phone || '—', badge(m.state, 'promo.state'), dateTime(m.created_at)], {
                  'data-testid': `merchant-row-${m.id}`,
                }),
              ),
              'merchants-table',
            ),
          )
        : h('div', { class: 'state empty', 'data-testid': 'merchants-empty' }, t('promo.noMerchants')),
  );
}

function shopsCard(m: Merchant, reload: () => void): HTMLElement {
  const shops = m.shops ?? [];
  const union = h(
    'select',
    { 'data-testid': 'shop-union', 'aria-label': t('promo.union') },
    UNIONS.map((u) => h('option', { value: u }, unionName(u))),
  );
  const shop = input('shop-id', '', { 'aria-label': t('promo.shopId'), placeholder: t('promo.shopId') });
  const name = input('shop-name', '', { 'aria-label': t('promo.shopName'), placeholder: t('promo.shopName') });
  const addBtn = gate(h('button', { type: 'submit', 'data-testid': 'shop-add' }, t('promo.addShop')), 'promo', t('role.denied'));
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await api.post(`/merchants/${m.id}/shops`, { union: union.value, shop: shop.value.trim(), name: name.value.trim() }, newIdempotencyKey());
          toast(t('promo.saved'));
          reload();
        } catch (err) {
          refused(err);
        }
      },
    },
    union,
    shop,
    name,
    addBtn,
  );
  const remove = async (s: Shop) => {
    if (!(await confirmDialog({ title: t('promo.remove'), body: t('promo.removeShopConfirm', { shop: s.shop }), confirm: t('promo.remove'), danger: true }))) return;
    try {
      await api.del(`/merchants/${m.id}/shops/${enc(s.union)}/${enc(s.shop)}`);
      reload();
    } catch (e) {
      refused(e);
    }
  };
  return card(
    t('promo.shops'),
    'merchant-shops',
    shops.length
      ? table(
          t('promo.shops'),
          [t('promo.union'), t('promo.shopId'), t('promo.shopName'), t('promo.actions')],
          shops.map((s) =>
            row(
              [
                unionName(s.union),
                s.shop,
                s.name || '—',
                gate(h('button', { type: 'button', class: 'link-button', 'data-testid': 'shop-remove', onclick: () => remove(s) }, t('promo.remove')), 'promo', t('role.denied')),
              ],
              {
                'data-testid': `shop-${s.union}-${s.shop}`,
              },
            ),
          ),
          'shops-table',
        )
      : h('div', { class: 'state empty' }, t('promo.noShops')),
    form,
  );
}

export function merchantPage(params: Record<string, string>): void {
  const id = Number(params.id);
  const main = page(t('promo.merchants'));
  const body = h('div');
  main.append(body);
  const load = () =>
    void region(
      body,
      () => api.get<Merchant>(`/merchants/${enc(String(id))}`),
      (m) => {
        const patch = async (changes: Record<string, string>) => {
          try {
            await api.request('PATCH', `/merchants/${m.id}`, { body: changes });
            toast(t('promo.saved'));
            load();
          } catch (e) {
            refused(e);
          }
        };
        const edit = gate(
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'merchant-edit',
              onclick: async () => {
                const changes = await merchantDialog(t('promo.editMerchant'), m);
                if (changes && Object.keys(changes).length) await patch(changes);
              },
            },
            t('promo.edit'),
          ),
          'promo',
          t('role.denied'),
        );
        const archived = m.state === 'archived';
        const toggle = gate(
          h('button', { type: 'button', 'data-testid': 'merchant-archive', onclick: () => patch({ state: archived ? 'active' : 'archived' }) }, archived ? t('promo.restore') : t('promo.archive')),
          'promo',
          t('role.denied'),
        );
        return [
          heading(m.name, h('span', null, badge(m.state, 'promo.state'))),
          card(
            null,
            'merchant-facts',
            facts([
              [t('promo.contact'), m.contact || '—', 'merchant-contact-value'],
              [t('promo.phone'), m.phone || '—'],
              [t('promo.wechat'), m.wechat || '—'],
              [t('promo.terms'), m.terms || '—'],
              [t('promo.created'), dateTime(m.created_at)],
            ]),
            h('div', { class: 'actions' }, edit, toggle, h('a', { href: `#/campaigns?merchant=${m.id}`, 'data-testid': 'merchant-campaigns' }, t('promo.ofMerchant'))),
          ),
          shopsCard(m, load),
        ];
      },
    );
  load();
}
