// Channel matching: pick a campaign product (its number and the days of
// figures are in the address), see the channels ranked for it with their
// reasons in words (GET /campaign-items/{id}/channels); the marks of
// brushed figures (flag.*) are shown as warnings.  Also the reasons' words,
// which a channel's page uses for the products that suit it.
import './channels-messages';
import { enc, queryString } from '../lib/api';
import { h, mount, region } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { hasMessage, t } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { api } from './session';
import { card, heading, row, table } from './ui';

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

export function matchingPage(_p: Record<string, string>, query: URLSearchParams): void {
  const item = (query.get('item') ?? '').trim();
  const days = (query.get('days') ?? '180').trim();
  const main = page(t('mt.title'));
  const itemInput = h('input', { id: 'mt-item', type: 'number', min: '1', inputmode: 'numeric', value: item, required: true, 'data-testid': 'mt-item' });
  const daysInput = h('input', { id: 'mt-days', type: 'number', min: '7', max: '730', value: days, 'data-testid': 'mt-days' });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = itemInput.value.trim();
        if (v) go(`/matching${queryString({ item: v, days: daysInput.value.trim() })}`);
      },
    },
    h('label', { for: 'mt-item' }, t('mt.item'), itemInput),
    h('label', { for: 'mt-days' }, t('mt.days'), daysInput),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'mt-go' }, t('mt.go')),
  );
  const results = h('div', { 'data-testid': 'mt-results' });
  mount(main, heading(t('mt.title'), t('mt.intro')), card(null, null, form), results);
  if (!item) {
    mount(results, h('div', { class: 'state empty' }, t('mt.pick')));
    itemInput.focus();
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
