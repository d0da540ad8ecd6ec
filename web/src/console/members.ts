// Members: a member's page (profile, inviter chain, team sales,
// balances, ledger, team tree, level change).
import { enc } from '../lib/api';
import { copyText, empty, errorText, failure, h, mount, region, toast } from '../lib/dom';
import { count, dateTime, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { activePlan, levelLabel } from './plan-cache';
import { gate } from './roles';
import { api } from './session';
import { teamTree } from './team-tree';
import type { Balance, LedgerEntry, LedgerPage, Member, MemberPath, Plan, TeamStats } from './types';
import { badge, card, confirmDialog, facts, heading, itemLink, memberLink, money, num, prefetched, row, table } from './ui';

export function memberPage(p: Record<string, string>): void {
  const id = p.id;
  const q = { limit: 20 };
  // All at once; each box fills when its answer comes.
  const base = `/members/${enc(id)}`;
  const get = {
    member: () => api.get<Member>(base),
    path: () => api.get<MemberPath>(`${base}/path`),
    stats: () => api.get<TeamStats>(`${base}/stats`),
    balance: () => api.get<Balance>(`${base}/balance`),
    ledger: () => api.get<LedgerPage>(`${base}/ledger`, q),
    plan: () => activePlan().catch(() => null),
  };
  const member = get.member();
  const path = get.path();
  const stats = get.stats();
  const balance = get.balance();
  const ledger = get.ledger();
  const plan = get.plan();
  for (const x of [member, path, stats, balance, ledger]) x.catch(() => {});
  const withPlan = <T>(first: Promise<T>, again: () => Promise<T>) =>
    prefetched(Promise.all([first, plan]), () => Promise.all([again(), get.plan()]));

  const main = page(`${t('member.title')} ${id}`);
  const head = h('div', null, heading(`${t('member.title')} ${id}`));
  const profile = h('div', { 'data-testid': 'member-profile' });
  const chain = h('div', { 'data-testid': 'member-path' });
  const sales = h('div', { 'data-testid': 'member-stats' });
  const money_ = h('div', { 'data-testid': 'member-balance' });
  const ledgerBox = h('div', { 'data-testid': 'member-ledger' });
  const tree = h('div', { 'data-testid': 'member-team' });

  mount(
    main,
    head,
    h('div', { class: 'cols' }, card(t('member.profile'), null, profile), card(t('member.chain'), null, chain)),
    card(t('member.sales'), null, sales),
    card(t('member.balance'), null, money_),
    card(t('member.team'), null, tree),
    card(t('member.ledger'), null, ledgerBox),
  );

  void region(profile, withPlan(member, get.member), ([m, pl]) => {
    mount(head, heading(m.name ? `${m.name} · ${m.id}` : m.id, h('span', null, badge(m.level, 'level'), ' ', levelLabel(pl, m.level))));
    document.title = `${m.name || m.id} · tuike`;
    return [profileFacts(m, pl), levelForm(m, pl, profile)];
  });
  void region(chain, withPlan(path, get.path), ([x, pl]) => pathList(x, pl));
  void region(sales, withPlan(stats, get.stats), ([s, pl]) => statsView(s, pl));
  void region(money_, prefetched(balance, get.balance), (b) => [balanceView(b), h('p', null, h('a', { href: `#/withdrawals?status=all&member=${enc(id)}`, 'data-testid': 'member-withdrawals' }, t('member.withdrawals')))]);
  void region(ledgerBox, prefetched(ledger, get.ledger), (l) => ledgerView(id, l));
  void Promise.all([member, plan]).then(
    ([m, pl]) => mount(tree, teamTree(m, pl)),
    (e) => mount(tree, failure(e, () => go(`/members/${enc(id)}`))),
  );
}

function profileFacts(m: Member, pl: Plan | null): HTMLElement {
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      'aria-label': t('member.copyInvite', { code: m.invite_code }),
      onclick: async () => toast((await copyText(m.invite_code)) ? t('common.copied') : t('common.copyFailed')),
    },
    t('common.copy'),
  );
  return facts([
    [t('member.id'), m.id, 'member-id'],
    [t('member.name'), m.name || '—', 'member-name'],
    [t('member.level'), levelLabel(pl, m.level), 'member-level'],
    [t('member.inviter'), memberLink(m.parent), 'member-inviter'],
    [t('member.direct'), count(m.direct_count), 'member-direct'],
    [t('member.team'), count(m.team_count), 'member-team-count'],
    [t('member.invite'), h('span', null, h('code', null, m.invite_code), ' ', copy), 'member-invite'],
    [t('member.depth'), count(m.depth)],
    [t('member.joined'), dateTime(m.created_at)],
  ]);
}

function levelForm(m: Member, pl: Plan | null, box: HTMLElement): HTMLElement {
  if (!pl) return h('p', { class: 'muted' }, t('member.noPlan'));
  const sel = h(
    'select',
    { id: 'member-level-select', 'data-testid': 'member-level-select' },
    pl.levels.map((l) => h('option', { value: l.key, selected: l.key === m.level }, levelLabel(pl, l.key))),
  );
  const reason = h('input', { id: 'member-level-reason', type: 'text', maxlength: 200, autocomplete: 'off', 'data-testid': 'member-level-reason' });
  const msg = h('span', { class: 'form-error', role: 'alert' });
  const save = gate(h('button', { type: 'submit', 'data-testid': 'member-level-save' }, t('member.setLevel')), 'members', t('role.denied'));
  return h(
    'form',
    {
      class: 'row level-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (sel.value === m.level) {
          msg.textContent = t('member.sameLevel');
          return;
        }
        if (!(await confirmDialog({ title: t('dialog.confirmTitle'), body: t('member.confirmLevel', { id: m.id, from: levelLabel(pl, m.level), to: levelLabel(pl, sel.value) }), confirm: t('dialog.ok') }))) return;
        save.disabled = true;
        msg.textContent = '';
        try {
          await api.request('PUT', `/members/${enc(m.id)}/level`, { body: { level: sel.value }, reason: reason.value.trim() || undefined });
          toast(t('member.levelSaved'));
          box.isConnected && go(`/members/${enc(m.id)}`);
        } catch (err) {
          msg.textContent = errorText(err);
          save.disabled = false;
        }
      },
    },
    h('label', { for: 'member-level-select' }, t('member.changeLevel'), sel),
    h('label', { for: 'member-level-reason' }, t('member.levelReason'), reason),
    save,
    msg,
  );
}

function pathList(x: MemberPath, pl: Plan | null): HTMLElement {
  if (x.path.length <= 1) return h('p', { class: 'muted' }, t('member.isRoot'));
  // root first, the member last
  const chain = [...x.path].reverse();
  return h(
    'ol',
    { class: 'chain', 'aria-label': t('member.chain') },
    chain.map((m, i) =>
      h(
        'li',
        { 'data-member': m.id, 'aria-current': i === chain.length - 1 ? 'true' : null },
        i === chain.length - 1 ? h('strong', null, m.id) : memberLink(m.id),
        ' ',
        h('span', { class: 'muted' }, m.name || ''),
        ' ',
        badge(m.level, 'level'),
        h('div', { class: 'muted small' }, levelLabel(pl, m.level), ' · ', t('member.counts', { direct: count(m.direct_count), team: count(m.team_count) })),
      ),
    ),
  );
}

function statsView(s: TeamStats, pl: Plan | null): HTMLElement[] {
  const months = [s.this_month, s.last_month];
  const figures = table(
    t('member.sales'),
    [t('member.month'), { label: t('member.ownGmv'), num: true }, { label: t('member.ownCommission'), num: true }, { label: t('member.teamGmv'), num: true }, { label: t('member.teamCommission'), num: true }],
    months.map((m, i) => row([h('span', null, m.month, ' ', h('span', { class: 'muted' }, i === 0 ? t('member.thisMonth') : t('member.lastMonth'))), money(m.own_gmv), money(m.own_commission), money(m.team_gmv), money(m.team_commission)])),
    'member-months',
  );
  const levels = s.levels.length
    ? table(
        t('member.levels'),
        [t('member.level'), { label: t('member.directAt'), num: true }, { label: t('member.teamAt'), num: true }],
        s.levels.map((l) => row([levelLabel(pl, l.level), num(l.direct), num(l.team)], { 'data-level': l.level })),
        'member-levels',
      )
    : empty(t('member.noTeam'));
  return [figures, h('h3', { class: 'sub' }, t('member.levels')), levels];
}

function balanceView(b: Balance): HTMLElement {
  const cells: Array<[keyof Omit<Balance, 'member'>, number]> = [
    ['pending', b.pending],
    ['frozen', b.frozen],
    ['available', b.available],
    ['withdrawing', b.withdrawing],
    ['paid', b.paid],
  ];
  return h(
    'div',
    { class: 'grid kpis' },
    cells.map(([k, v]) =>
      h(
        'div',
        { class: 'kpi' },
        h('div', { class: 'label' }, t(`balance.${k}`)),
        h('div', { class: `value ${v < 0 ? 'neg' : ''}`, 'data-testid': `balance-${k}` }, yuan(v)),
      ),
    ),
  );
}

function ledgerView(id: string, first: LedgerPage): HTMLElement {
  if (!first.entries.length) return empty(t('member.noLedger'));
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  const add = (p: LedgerPage) => {
    tbody.append(...p.entries.map(ledgerRow));
    mount(more, p.next ? moreButton(p.next) : null);
  };
  const moreButton = (cursor: string): HTMLElement => {
    const b = h(
      'button',
      {
        type: 'button',
        'data-testid': 'ledger-more',
        onclick: async () => {
          b.disabled = true;
          b.textContent = t('common.loading');
          try {
            add(await api.get<LedgerPage>(`/members/${enc(id)}/ledger`, { limit: 20, before: cursor }));
          } catch (e) {
            mount(more, failure(e, () => mount(more, moreButton(cursor))));
          }
        },
      },
      t('common.more'),
    );
    return b;
  };
  const wrap = table(
    t('member.ledger'),
    [t('ledger.at'), t('ledger.type'), { label: t('ledger.change'), num: true }, { label: t('ledger.amount'), num: true }, t('ledger.move'), t('ledger.about')],
    [],
    'ledger-table',
  );
  wrap.querySelector('tbody')?.replaceWith(tbody);
  add(first);
  return h('div', null, wrap, more);
}

function ledgerRow(e: LedgerEntry): HTMLTableRowElement {
  const about = e.item ? itemLink(e.item.union, e.item.item) : e.withdrawal !== undefined ? h('a', { href: `#/withdrawals?id=${e.withdrawal}` }, t('ledger.withdrawal', { id: e.withdrawal })) : '—';
  return row(
    [
      dateTime(e.at),
      badge(e.type, 'ledger'),
      { v: yuan(e.change, { sign: true }), num: true, cls: e.change < 0 ? 'neg' : e.change > 0 ? 'pos' : '' },
      money(e.amount),
      h('span', { class: 'muted' }, `${accountName(e.from)} → ${accountName(e.to)}`),
      about,
    ],
    { 'data-entry': String(e.id) },
  );
}

function accountName(a: string): string {
  const k = `account.${a}`;
  return tOr(k, a);
}
