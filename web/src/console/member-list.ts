// The members list (/members): a filter bar (search words, levels, join
// dates, sales minimum, team sizes), sortable columns, the total, page by
// page with "more", and the server's CSV of the same filters.  The filters
// live in the address, so a list can be bookmarked, shared and gone back to.
import { enc, queryString } from '../lib/api';
import { empty, failure, h, mount, toast } from '../lib/dom';
import { count, dateTime, isoDay, parseYuan, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import type { MemberListed, MemberSearch } from '../lib/types';
import { downloadFile } from './csv';
import { page } from './layout';
import './member-list-messages';
import { activePlan, levelLabel } from './plan-cache';
import { api } from './session';
import type { Plan } from './types';
import { heading, memberLink, money, num, row, showMore } from './ui';

const FILTERS = ['q', 'level', 'joined_from', 'joined_to', 'sales_min', 'team_min', 'direct_min', 'sort', 'order'] as const;
type Sort = 'joined' | 'sales' | 'team' | 'id';
const PAGE = 50;

function readFilters(query: URLSearchParams): Record<string, string> {
  const f: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = (query.get(k) ?? '').trim();
    if (v) f[k] = v;
  }
  return f;
}

const to = (f: Record<string, string>) => `/members${queryString(f)}`;

export function memberSearch(_p: Record<string, string>, query: URLSearchParams): void {
  const f = readFilters(query);
  const sort = (f.sort ?? 'joined') as Sort;
  const asc = f.order === 'asc';
  const main = page(t('nav.members'));
  const plan = activePlan().catch(() => null);

  // ---- the filter bar
  const input = (name: string, type: string, value: string, attrs: Record<string, string | number> = {}) =>
    h('input', { id: `ml-${name}`, name, type, value, autocomplete: 'off', 'data-testid': `ml-${name}`, ...attrs });
  const q = input('q', 'search', f.q ?? '', { placeholder: 'm1 / ZPX2CL3D / 王' });
  q.setAttribute('data-testid', 'member-q'); // the search box as it always was
  const joinedFrom = input('joined_from', 'date', f.joined_from ?? '');
  const joinedTo = input('joined_to', 'date', f.joined_to ?? '');
  const salesMin = input('sales_min', 'text', f.sales_min ? yuan(Number(f.sales_min), { symbol: false }) : '', { inputmode: 'decimal' });
  const teamMin = input('team_min', 'number', f.team_min ?? '', { min: 0, step: 1 });
  const directMin = input('direct_min', 'number', f.direct_min ?? '', { min: 0, step: 1 });
  const chosen = new Set((f.level ?? '').split(',').filter(Boolean));
  const levelBox = h('div', { class: 'ml-levels', 'data-testid': 'ml-levels' });
  const formError = h('span', { class: 'form-error', role: 'alert', 'data-testid': 'ml-error' });
  void plan.then((p) =>
    mount(
      levelBox,
      (p?.levels ?? []).map((l) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'level', value: l.key, checked: chosen.has(l.key), 'data-testid': `ml-level-${l.key}` }), ` ${levelLabel(p, l.key)}`),
      ),
      [...chosen].filter((k) => !p?.levels.some((l) => l.key === k)).map((k) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'level', value: k, checked: true }), ` ${k}`)),
    ),
  );
  const form = h(
    'form',
    {
      class: 'ml-filter',
      role: 'search',
      'data-testid': 'ml-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        const text = q.value.trim();
        if (text) next.q = text;
        const levels = [...levelBox.querySelectorAll<HTMLInputElement>('input[name=level]:checked')].map((c) => c.value);
        if (levels.length) next.level = levels.join(',');
        if (joinedFrom.value) next.joined_from = joinedFrom.value;
        if (joinedTo.value) next.joined_to = joinedTo.value;
        if (salesMin.value.trim()) {
          const fen = parseYuan(salesMin.value);
          if (fen === null) {
            formError.textContent = t('mlist.badAmount');
            salesMin.focus();
            return;
          }
          if (fen > 0) next.sales_min = String(fen);
        }
        if (Number(teamMin.value) > 0) next.team_min = String(Math.trunc(Number(teamMin.value)));
        if (Number(directMin.value) > 0) next.direct_min = String(Math.trunc(Number(directMin.value)));
        if (f.sort) next.sort = f.sort;
        if (f.order) next.order = f.order;
        go(to(next));
      },
    },
    h('label', { for: 'ml-q', class: 'grow' }, t('members.query'), q),
    h('fieldset', { class: 'ml-levelset' }, h('legend', null, t('mlist.levels')), levelBox),
    h('label', { for: 'ml-joined_from' }, t('mlist.joinedFrom'), joinedFrom),
    h('label', { for: 'ml-joined_to' }, t('mlist.joinedTo'), joinedTo),
    h('label', { for: 'ml-sales_min' }, t('mlist.salesMin'), salesMin),
    h('label', { for: 'ml-team_min' }, t('mlist.teamMin'), teamMin),
    h('label', { for: 'ml-direct_min' }, t('mlist.directMin'), directMin),
    h(
      'div',
      { class: 'row ml-buttons' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'member-search' }, t('mlist.apply')),
      h('a', { href: '#/members', class: 'link-button', 'data-testid': 'ml-clear' }, t('mlist.clear')),
      formError,
    ),
  );

  // ---- export: the server's CSV of these filters (no paging, at most 10,000)
  const exportBtn = h('button', { type: 'button', 'data-testid': 'ml-export' }, t('mlist.export'));
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    try {
      const name = await downloadFile('/members', { ...f, format: 'csv' }, `members-${isoDay(new Date())}.csv`, true);
      toast(t('mlist.exported', { name }));
    } catch (e) {
      toast(t('common.error', { message: e instanceof Error ? e.message : String(e) }), 'error');
    } finally {
      exportBtn.disabled = false;
    }
  });

  // ---- the table: headers that sort (a second click turns the order round)
  const sortHead = (label: string, key: Sort | null, isNum = false) => {
    if (!key) return h('th', { scope: 'col', class: isNum ? 'num' : null }, label);
    const on = sort === key;
    const next = { ...f, sort: key, order: on && !asc ? 'asc' : 'desc' };
    if (next.order === 'desc') delete (next as Record<string, string>).order;
    if (key === 'joined') delete (next as Record<string, string>).sort;
    return h(
      'th',
      { scope: 'col', class: isNum ? 'num' : null, 'aria-sort': on ? (asc ? 'ascending' : 'descending') : null },
      h(
        'button',
        { type: 'button', class: 'sort', 'data-testid': `ml-sort-${key}`, 'aria-label': t('mlist.sortBy', { col: label }), onclick: () => go(to(next)) },
        label,
        on ? h('span', { 'aria-hidden': 'true' }, asc ? ' ▲' : ' ▼') : null,
      ),
    );
  };
  const tbody = h('tbody');
  const tableEl = h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': t('mlist.list') },
    h(
      'table',
      { 'data-testid': 'ml-table' },
      h('caption', { class: 'sr-only' }, t('mlist.list')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          sortHead(t('member.id'), 'id'),
          sortHead(t('member.name'), null),
          sortHead(t('member.level'), null),
          sortHead(t('member.inviter'), null),
          sortHead(t('mlist.sales'), 'sales', true),
          sortHead(t('member.direct'), null, true),
          sortHead(t('member.team'), 'team', true),
          sortHead(t('mlist.joined'), 'joined'),
        ),
      ),
      tbody,
    ),
  );
  const addRows = (ms: MemberListed[], p: Plan | null) => {
    for (const m of ms) {
      const tr = row(
        [
          memberLink(m.id),
          m.name || '—',
          levelLabel(p, m.level),
          memberLink(m.parent),
          money(m.sales),
          num(m.direct_count),
          num(m.team_count),
          h('time', { datetime: m.created_at ?? '' }, dateTime(m.created_at)),
        ],
        { 'data-member': m.id, class: 'clickable' },
      );
      // the whole row opens the member; the id's link stays for the keyboard
      tr.addEventListener('click', (e) => {
        if (!(e.target as Element).closest('a')) go(`/members/${enc(m.id)}`);
      });
      tbody.append(tr);
    }
  };

  const summary = h('p', { class: 'ml-summary', 'data-testid': 'ml-total', role: 'status' });
  const period = h('p', { class: 'muted small', 'data-testid': 'ml-period' });
  const results = h('div', { 'data-testid': 'member-results' });
  const more = h('div', { class: 'more' });
  const loadPage = async (cursor: string | null): Promise<MemberSearch> => {
    const [r, p] = await Promise.all([api.get<MemberSearch>('/members', { ...f, limit: PAGE, cursor }), plan]);
    addRows(r.members, p);
    if (r.next) {
      const c = r.next;
      showMore(more, 'ml-more', () => loadPage(c));
    } else mount(more);
    return r;
  };

  mount(
    main,
    heading(t('nav.members'), t('mlist.hint')),
    h('section', { class: 'card' }, form),
    h('section', { class: 'card' }, h('div', { class: 'row actions ml-head' }, summary, exportBtn), period, results, more),
  );
  mount(results, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  loadPage(null).then(
    (r) => {
      if (f.q && Object.keys(f).length === 1 && r.members.length === 1 && r.members[0].id === f.q) {
        // an exact id and nothing else asked: straight to the member
        queueMicrotask(() => go(`/members/${enc(f.q)}`));
      }
      mount(summary, r.total_more ? t('mlist.totalMore', { n: count(r.total) }) : t('mlist.total', { n: count(r.total) }));
      mount(period, t('mlist.period', { from: r.sales_from, to: r.sales_to }));
      mount(results, r.members.length ? tableEl : empty(f.q ? t('members.none', { q: f.q }) : t('mlist.empty')));
      results.setAttribute('data-ready', 'true');
    },
    (e) => mount(results, failure(e, () => memberSearch(_p, query))),
  );
}
