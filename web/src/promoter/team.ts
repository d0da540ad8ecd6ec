// My team (#/team) and a team member's page (#/member/:id, also #/team/:id):
// counts, sales this month and last, and the direct invitees, each opening
// its own page.  Another member's page shows the server's refusal.
import { enc } from '../lib/api';
import { h } from '../lib/dom';
import { count, date, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { screen } from './layout';
import { api, myId } from './session';
import type { Member, TeamPage, TeamStats } from './types';
import { levelName, pagedList, section, show, tile } from './ui';

export function teamView(): void {
  const main = screen({ title: t('tab.team'), tab: 'team' });
  teamOf(main, myId(), true);
}

export function memberView(params: Record<string, string>): void {
  const id = params.id ?? '';
  if (id === myId()) {
    go('/team');
    return;
  }
  const main = screen({ title: t('member.title'), tab: 'team', back: '#/team' });
  const head = h('div', { 'data-testid': 'member-view' });
  main.append(head);
  void show(
    head,
    () => api.get<Member>(`/members/${enc(id)}`),
    (m) => {
      const rest = h('div');
      teamOf(rest, m.id, false);
      return [profile(m), rest];
    },
  );
}

// A member's card: avatar, name, id and level, then `lines`.  The name and
// the level carry the test ids `${testid}-name` and `${testid}-level`.
export function profileCard(m: Member, testid: string, lines: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'p-card p-profile' },
    h('div', { class: 'p-avatar', 'aria-hidden': 'true' }, initial(m)),
    h(
      'div',
      { class: 'p-profile-main' },
      h('div', { class: 'p-profile-name', 'data-testid': `${testid}-name` }, m.name || m.id),
      h('div', { class: 'muted' }, t('member.idLine', { id: m.id }), ' · ', h('span', { class: 'badge', 'data-testid': `${testid}-level` }, levelName(m.level))),
      ...lines,
    ),
  );
}

export function joinedLine(m: Member): HTMLElement {
  return h('div', { class: 'muted' }, t('member.joined', { date: date(m.created_at) }));
}

function profile(m: Member): HTMLElement {
  return profileCard(m, 'member', [joinedLine(m)]);
}

// The figures and invitees of `id` into `el`.
function teamOf(el: HTMLElement, id: string, mine: boolean): void {
  const stats = h('div');
  el.append(
    stats,
    section(
      mine ? t('team.direct') : t('member.direct'),
      pagedList<Member>({
        load: async (after) => {
          const r = await api.get<TeamPage>(`/members/${enc(id)}/team`, { limit: 20, after });
          return { items: r.members, next: r.next };
        },
        row: inviteeRow,
        emptyText: mine ? t('team.noneMine') : t('team.none'),
        testid: 'team-list',
      }),
    ),
  );
  void show(stats, () => api.get<TeamStats>(`/members/${enc(id)}/stats`), (s) => figures(s, mine));
}

function figures(s: TeamStats, mine: boolean): HTMLElement {
  const m = s.this_month;
  const whose = mine ? 'team' : 'member';
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'p-tiles' },
      tile(t('team.directCount'), count(s.direct_count), { testid: 'team-direct', hint: t(`${whose}.directHint`) }),
      tile(t('team.teamCount'), count(s.team_count), { testid: 'team-total', hint: t(`${whose}.teamHint`) }),
    ),
    section(
      t('team.month', { month: m.month }),
      h(
        'div',
        { class: 'p-tiles' },
        tile(t('team.teamGmv'), yuan(m.team_gmv), { testid: 'team-gmv', hint: lastMonth(s.last_month.team_gmv) }),
        tile(t('team.teamCommission'), yuan(m.team_commission), { hint: lastMonth(s.last_month.team_commission) }),
        tile(t(`${whose}.ownGmv`), yuan(m.own_gmv), { hint: lastMonth(s.last_month.own_gmv) }),
        tile(t(`${whose}.ownCommission`), yuan(m.own_commission), { hint: lastMonth(s.last_month.own_commission) }),
      ),
    ),
    s.levels.length ? levels(s.levels) : null,
  );
}

function lastMonth(fen: number): string {
  return t('team.lastMonth', { amount: yuan(fen) });
}

function levels(rows: TeamStats['levels']): HTMLElement {
  return section(
    t('team.levels'),
    h(
      'table',
      { class: 'p-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('team.level')), h('th', { scope: 'col', class: 'num' }, t('team.levelDirect')), h('th', { scope: 'col', class: 'num' }, t('team.levelTeam')))),
      h(
        'tbody',
        null,
        rows.map((r) => h('tr', null, h('th', { scope: 'row' }, levelName(r.level)), h('td', { class: 'num' }, count(r.direct)), h('td', { class: 'num' }, count(r.team)))),
      ),
    ),
  );
}

function inviteeRow(m: Member): HTMLElement {
  return h(
    'li',
    { 'data-testid': 'team-member' },
    h(
      'a',
      { class: 'p-row p-row-link', href: `#/member/${enc(m.id)}`, 'data-member': m.id },
      h('div', { class: 'p-avatar small', 'aria-hidden': 'true' }, initial(m)),
      h(
        'div',
        { class: 'p-row-main' },
        h('div', { class: 'p-row-title' }, m.name || m.id, ' ', h('span', { class: 'badge' }, levelName(m.level))),
        h('div', { class: 'p-row-sub muted' }, t('member.idLine', { id: m.id }), ' · ', t('member.joined', { date: date(m.created_at) })),
      ),
      h('div', { class: 'p-row-amount p-row-counts' }, h('div', null, t('team.directN', { n: count(m.direct_count) })), h('div', null, t('team.teamN', { n: count(m.team_count) }))),
    ),
  );
}

export function initial(m: Member): string {
  return Array.from(m.name || m.id)[0] ?? '?';
}
