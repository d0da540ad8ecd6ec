// Channel matching: pick an approved campaign, then one of its products
// (campaign, product and the days of figures are in the address, so a
// reload or a shared link shows the same), see the channels ranked for it
// with their reasons in words (GET /campaign-items/{id}/channels); the
// marks of brushed figures (flag.*) are shown as warnings.  Also the
// reasons' words, which a channel's page uses for the products that suit it.
import './channels-messages';
import { enc, queryString } from '../lib/api';
import type { components } from '../lib/api-types';
import { h, mount, region } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { hasMessage, t } from '../lib/i18n';
import { go } from '../lib/router';
import { permille } from './campaigns';
import { page } from './layout';
import { refused } from './merchants';
import { api } from './session';
import { card, heading, row, table, unionName } from './ui';

type Campaign = components['schemas']['Campaign'];
type CampaignPage = components['schemas']['CampaignPage'];

export interface Reason {
  key: string;
  params: Record<string, number>;
}

interface RankedChannel {
  id: number;
  name: string;
  state: 'active' | 'paused';
  score: number;
  flags: number;
  reasons: Reason[];
}

interface ChannelMatch {
  campaign_item: { id: number; title: string; category: string; price_fen: number; union: string; service_pm: number };
  days: number;
  channels: RankedChannel[];
}

// A param as the reader reads it: money for *_fen, a share for *_permille
// and *_pm, a count otherwise.
function said(name: string, v: number): string {
  if (name.endsWith('_fen')) return yuan(v);
  if (name.endsWith('_permille') || name.endsWith('_pm')) return bps(v * 10);
  return count(v);
}

// One reason in words: its own sentence with the params filled in.
export function reasonWords(r: Reason): string {
  const key = `cr.${r.key}`;
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.params)) vars[k] = said(k, v);
  return hasMessage(key) ? t(key, vars) : t('cr.unknown');
}

// The reasons as a list; the marks of brushing as warnings.
export function reasonList(reasons: Reason[]): HTMLElement {
  return h(
    'ul',
    { class: 'reasons', 'data-testid': 'reasons' },
    reasons.map((r) =>
      h(
        'li',
        { 'data-key': r.key, class: r.key.startsWith('flag.') ? 'neg' : null },
        r.key.startsWith('flag.') ? h('span', { class: 'badge warn' }, t('mt.flagged')) : null,
        r.key.startsWith('flag.') ? ' ' : null,
        reasonWords(r),
      ),
    ),
  );
}

// The campaign as the pickers name it: name, union, merchant.
const campaignWords = (c: Campaign) => `${c.name} · ${unionName(c.union)} · ${c.merchant_name}`;

// Fills the pickers: the approved campaigns (and the one in the address,
// whatever its status now), then the chosen campaign's products.
async function fillPickers(campaignSel: HTMLSelectElement, itemSel: HTMLSelectElement, campaign: string, item: string): Promise<void> {
  const [list, chosen] = await Promise.all([
    api.get<CampaignPage>('/campaigns', { status: 'approved', limit: 100 }),
    campaign ? api.get<Campaign>(`/campaigns/${enc(campaign)}`) : Promise.resolve(null),
  ]);
  const shown = list.campaigns.slice();
  if (chosen && !shown.some((c) => c.id === chosen.id)) shown.unshift(chosen);
  if (!shown.length) campaignSel.replaceChildren(h('option', { value: '' }, t('mt.noCampaigns')));
  for (const c of shown) campaignSel.append(h('option', { value: String(c.id), selected: String(c.id) === campaign }, campaignWords(c)));
  if (!chosen) return;
  const items = chosen.items ?? [];
  if (!items.length) itemSel.replaceChildren(h('option', { value: '' }, t('mt.noItems')));
  for (const it of items)
    itemSel.append(
      h('option', { value: String(it.id), selected: String(it.id) === item }, t('mt.itemWords', { title: it.title || it.product, product: it.product, service: permille(it.service_fee_permille) })),
    );
  itemSel.disabled = false;
}

export function matchingPage(_p: Record<string, string>, query: URLSearchParams): void {
  const campaign = (query.get('campaign') ?? '').trim();
  const item = (query.get('item') ?? '').trim();
  const days = (query.get('days') ?? '180').trim();
  const main = page(t('mt.title'));
  // each choice goes into the address: the page is drawn again from it
  const show = (withItem: boolean) => go(`/matching${queryString({ campaign: campaignSel.value, item: withItem ? itemSel.value : '', days: daysInput.value.trim() })}`);
  const campaignSel = h('select', { id: 'mt-campaign', 'data-testid': 'mt-campaign', onchange: () => show(false) }, h('option', { value: '' }, t('mt.pickCampaign')));
  const itemSel = h('select', { id: 'mt-item', 'data-testid': 'mt-item', disabled: true, onchange: () => show(true) }, h('option', { value: '' }, t('mt.pickItem')));
  const daysInput = h('input', { id: 'mt-days', type: 'number', min: '7', max: '730', value: days, 'data-testid': 'mt-days' });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (itemSel.value) show(true);
      },
    },
    h('label', { for: 'mt-campaign' }, t('mt.campaign'), campaignSel),
    h('label', { for: 'mt-item' }, t('mt.item'), itemSel),
    h('label', { for: 'mt-days' }, t('mt.days'), daysInput),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'mt-go' }, t('mt.go')),
  );
  const results = h('div', { 'data-testid': 'mt-results' });
  mount(main, heading(t('mt.title'), t('mt.intro')), card(null, null, form), results);
  fillPickers(campaignSel, itemSel, campaign, item).catch(refused);
  if (!item) {
    mount(results, h('div', { class: 'state empty' }, t(campaign ? 'mt.pickItemHint' : 'mt.pick')));
    return;
  }
  void region(
    results,
    () => api.get<ChannelMatch>(`/campaign-items/${enc(item)}/channels`, { days }),
    (m) => {
      const p = m.campaign_item;
      const sub = t('mt.product', { title: p.title, category: p.category, price: yuan(p.price_fen), service: bps(p.service_pm * 10) });
      if (!m.channels.length) return card(sub, 'mt-ranking', h('div', { class: 'state empty' }, t('mt.none')));
      return card(
        sub,
        'mt-ranking',
        table(
          t('mt.title'),
          [{ label: t('mt.rank'), num: true }, t('mt.channel'), { label: t('ch.score'), num: true }, t('ch.reasons')],
          m.channels.map((c, i) =>
            row(
              [
                { v: String(i + 1), num: true },
                h('span', null, h('a', { href: `#/channels/${c.id}`, 'data-testid': 'mt-channel' }, c.name), c.state === 'paused' ? h('span', { class: 'badge muted' }, ' ', t('mt.paused')) : null),
                { v: count(c.score), num: true, testid: 'mt-score' },
                reasonList(c.reasons),
              ],
              { 'data-testid': `mt-row-${c.id}`, 'data-flags': String(c.flags) },
            ),
          ),
          'mt-table',
        ),
      );
    },
  );
}
