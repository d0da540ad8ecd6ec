// My groups: each of the member's chat groups with what it brought in the
// last N days (sends, clicks, orders, what the member earned) and a dormant
// note; for a group posted to by hand, the day's offers, each copied (text
// and link) in one tap: GET /me/groups/{id}/offers (the send jobs the
// pusher made ready today).
import './groups-messages';
import { copyText, h, toast } from '../lib/dom';
import { count, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import type { GroupKind, GroupState, GroupSuggestion } from '../lib/types';
import { screen } from './layout';
import { api } from './session';
import { section, show, tile } from './ui';

interface Figures {
  sends: number;
  clicks: number;
  orders: number;
  gmv: number;
  commission: number;
  owner_share: number;
}
interface Group {
  id: number;
  name: string;
  kind: GroupKind;
  state: GroupState;
}
interface Results {
  dormant_days: number;
  group: { last_days: Figures; dormant: boolean; suggestion: GroupSuggestion | null };
}
interface Offer {
  id: number;
  union: string;
  product: string;
  due_at: string | null;
  text: string; // the copy text; it carries the link
  link: string;
  code: string;
}

// What one tap copies: the offer's text, and its link when the text does
// not already carry it.
export function offerCopy(o: Offer): string {
  return o.link && !o.text.includes(o.link) ? `${o.text}\n${o.link}`.trim() : o.text;
}

function offersBox(g: Group): HTMLElement {
  const box = h('div', { class: 'p-offers', 'data-testid': `offers-${g.id}` });
  void show(
    box,
    async () => (await api.get<{ offers: Offer[] }>(`/me/groups/${g.id}/offers`)).offers,
    (offers) => {
      if (!offers.length) return h('p', { class: 'muted' }, t('mg.noOffers'));
      return offers.map((o, i) => {
        const text = offerCopy(o);
        return h(
          'div',
          { class: 'p-offer', 'data-testid': 'offer' },
          h('div', { class: 'p-offer-text', 'data-testid': 'offer-text' }, text),
          h(
            'button',
            {
              type: 'button',
              class: 'p-button',
              'data-testid': 'offer-copy',
              'aria-label': t('mg.copyN', { n: i + 1 }),
              onclick: async () => ((await copyText(text)) ? toast(t('common.copied')) : toast(t('products.copyManually'), 'error')),
            },
            t('mg.copy'),
          ),
        );
      });
    },
  );
  return box;
}

function groupCard(g: Group): HTMLElement {
  const figures = h('div', { 'data-testid': `my-group-figures-${g.id}` });
  void show(
    figures,
    () => api.get<Results>(`/me/groups/${g.id}/results`),
    (r) => {
      const f = r.group.last_days;
      const s = r.group.suggestion;
      return [
        h('div', { class: 'muted' }, t('mg.lastDays', { n: r.dormant_days })),
        h(
          'div',
          { class: 'p-tiles' },
          tile(t('mg.sends'), count(f.sends), { testid: `mg-sends-${g.id}` }),
          tile(t('mg.clicks'), count(f.clicks), { testid: `mg-clicks-${g.id}` }),
          tile(t('mg.orders'), count(f.orders), { testid: `mg-orders-${g.id}` }),
          tile(t('mg.earned'), yuan(f.owner_share), { testid: `mg-earned-${g.id}` }),
        ),
        r.group.dormant || s
          ? h('p', { class: 'p-note', 'data-testid': `mg-dormant-${g.id}` }, r.group.dormant ? t('mg.dormant') : '', s ? ` ${t(`mg.suggest.${s}`)}` : '')
          : null,
      ];
    },
  );
  return h(
    'div',
    { class: 'p-card', 'data-testid': `my-group-${g.id}` },
    h('h3', null, g.name, ' ', h('span', { class: 'muted' }, t(`mg.kind.${g.kind}`))),
    figures,
    g.kind === 'manual' && g.state === 'active' ? [h('h4', null, t('mg.offers')), offersBox(g)] : null,
  );
}

export function groupsView(): void {
  const main = screen({ title: t('mg.title'), tab: 'me', back: '/me' });
  const box = h('div');
  main.append(section(t('mg.title'), box));
  void show(
    box,
    () => api.get<{ groups: Group[] }>('/me/groups', { limit: 100 }),
    (doc) => (doc.groups.length ? doc.groups.map(groupCard) : h('p', { class: 'muted', 'data-testid': 'my-groups-empty' }, t('mg.none'))),
  );
}
