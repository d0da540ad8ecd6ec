// The action log: who changed what (money, plans, levels, members, groups,
// keys), before and after, when, from where and why — newest first, with
// filters, page by page, and the server's CSV export of the same entries.
import { enc, queryString } from '../lib/api';
import { empty, errorText, failure, h, mount, toast } from '../lib/dom';
import { dateTime, isoDay } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { downloadFile } from './csv';
import { page } from './layout';
import { api } from './session';
import { heading, row, showMore, table } from './ui';

export interface Action {
  id: number;
  at: string;
  actor: string;
  role: string | null;
  source: string;
  what: string;
  subject: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
}

interface ActionPage {
  actions: Action[];
  next: string | null;
}

// The kinds the server writes (docs/security.md, "The action log").
export const KINDS = [
  'member.create',
  'member.level',
  'member.password',
  'member.move',
  'member.import',
  'member.link_quota',
  'plan.set',
  'orders.reattribute',
  'settle',
  'withdrawal.approve',
  'withdrawal.reject',
  'withdrawal.pay',
  'key.create',
  'key.role',
  'key.revoke',
  'group.create',
  'group.update',
  'group.pause',
  'group.resume',
  'group.archive',
  'group.credentials',
  'tag.set',
  'tag.delete',
  'levels.evaluate',
  'link_host.add',
  'link_host.remove',
  'link.host_override',
  'channel.create',
  'channel.update',
  'channel.id_add',
  'channel.id_remove',
];

const FILTERS = ['from', 'to', 'actor', 'what', 'subject'] as const;
const PAGE = 50;

function kindLabel(what: string): string {
  const k = `act.kind.${what}`;
  return tOr(k, what);
}

function shown(v: unknown): string {
  return v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
}

// Before → after, compactly: for two objects only the members that differ
// (a new or removed one against "—"); anything else whole.
export function diffLines(before: unknown, after: unknown): Array<[string, string, string]> {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(after) && (before === null || isObj(before))) {
    const b = before ?? {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(after)])];
    const lines: Array<[string, string, string]> = [];
    for (const k of keys) {
      const was = k in b ? shown(b[k]) : '—';
      const now = k in after ? shown(after[k]) : '—';
      if (was !== now) lines.push([k, was, now]);
    }
    return lines;
  }
  return [['', shown(before), shown(after)]];
}

function diff(a: Action): HTMLElement {
  const lines = diffLines(a.before, a.after);
  return h(
    'ul',
    { class: 'act-diff', 'data-testid': 'act-diff' },
    lines.length
      ? lines.map(([k, was, now]) =>
          h(
            'li',
            { 'data-key': k || null },
            k ? h('span', { class: 'act-key' }, `${k}: `) : null,
            h('del', { 'data-testid': 'act-before' }, was),
            ' → ',
            h('ins', { 'data-testid': 'act-after' }, now),
          ),
        )
      : h('li', { class: 'muted' }, t('act.unchanged')),
  );
}

// The server's CSV (its filters), downloaded with a byte-order mark so
// that a spreadsheet reads Chinese.
async function exportCsv(q: Record<string, string>): Promise<void> {
  await downloadFile('/actions.csv', q, `actions-${isoDay(new Date())}.csv`, true);
}

// The filters, as a form that goes to the filtered address.
function filterForm(q: Record<string, string>): HTMLFormElement {
  const input = (name: string, type = 'text') =>
    h('input', { id: `act-${name}`, name, type, value: q[name] ?? '', autocomplete: 'off', 'data-testid': `act-filter-${name}` });
  const from = input('from', 'date');
  const to = input('to', 'date');
  const actor = input('actor');
  const subject = input('subject');
  const what = h(
    'select',
    { id: 'act-what', name: 'what', 'data-testid': 'act-filter-what' },
    h('option', { value: '' }, t('act.anyKind')),
    KINDS.map((k) => h('option', { value: k, selected: q.what === k }, kindLabel(k))),
  );
  return h(
    'form',
    {
      class: 'row act-filter',
      'data-testid': 'act-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const next: Record<string, string> = {};
        const values: Record<string, string> = { from: from.value, to: to.value, actor: actor.value, what: what.value, subject: subject.value };
        for (const f of FILTERS) if (values[f].trim()) next[f] = values[f].trim();
        go(`/actions${queryString(next)}`);
      },
    },
    h('label', { for: 'act-from' }, t('act.from'), from),
    h('label', { for: 'act-to' }, t('act.to'), to),
    h('label', { for: 'act-actor' }, t('act.actor'), actor),
    h('label', { for: 'act-what' }, t('act.what'), what),
    h('label', { for: 'act-subject' }, t('act.subject'), subject),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'act-apply' }, t('act.apply')),
    h('a', { href: '#/actions', class: 'link-button' }, t('act.clear')),
  );
}

// A subject that is a member, a group or a withdrawal links to it.
function subjectLink(s: string): Node | string {
  const m = /^member:(.+)$/.exec(s);
  if (m) return h('a', { href: `#/members/${enc(m[1])}` }, s);
  const g = /^group:(\d+)$/.exec(s);
  if (g) return h('a', { href: `#/groups/${g[1]}` }, s);
  const w = /^withdrawal:(\d+)$/.exec(s);
  if (w) return h('a', { href: `#/withdrawals?id=${w[1]}` }, s);
  return s || '—';
}

// One entry of the log as a table row.
function actionRow(a: Action): HTMLTableRowElement {
  return row(
    [
      h('time', { datetime: a.at }, dateTime(a.at)),
      h('span', null, h('span', { 'data-testid': 'act-actor' }, a.actor), a.role ? ` (${a.role})` : null, h('div', { class: 'muted small' }, a.source)),
      h('span', { 'data-testid': 'act-what-cell', 'data-what': a.what }, kindLabel(a.what)),
      h('span', { 'data-testid': 'act-subject' }, subjectLink(a.subject)),
      diff(a),
      a.reason ? h('span', { 'data-testid': 'act-reason' }, a.reason) : h('span', { class: 'muted' }, '—'),
    ],
    { 'data-id': String(a.id), 'data-what': a.what, 'data-subject': a.subject },
  );
}

export function actionsPage(_p: Record<string, string>, query: URLSearchParams): void {
  const main = page(t('nav.actions'));
  const q: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = (query.get(f) ?? '').trim();
    if (v) q[f] = v;
  }
  const filter = filterForm(q);
  const exportBtn = h('button', { type: 'button', 'data-testid': 'act-export' }, t('act.export'));
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    try {
      await exportCsv(q);
      toast(t('act.exported'));
    } catch (e) {
      toast(t('common.error', { message: errorText(e) }), 'error');
    } finally {
      exportBtn.disabled = false;
    }
  });

  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  const listBox = h('div', { 'data-testid': 'act-list' });
  const tableEl = table(
    t('nav.actions'),
    [t('act.at'), t('act.actor'), t('act.what'), t('act.subject'), t('act.change'), t('act.reason')],
    [],
    'act-table',
  );
  tableEl.querySelector('tbody')?.replaceWith(tbody);

  const addRows = (as: Action[]) => {
    for (const a of as) tbody.append(actionRow(a));
  };

  const loadPage = async (before: string | null): Promise<ActionPage> => {
    const p = await api.get<ActionPage>('/actions', { ...q, limit: PAGE, before });
    addRows(p.actions);
    if (p.next) {
      const cursor = p.next;
      showMore(more, 'act-more', () => loadPage(cursor));
    } else mount(more);
    return p;
  };

  mount(
    main,
    heading(t('nav.actions'), t('act.hint')),
    h('section', { class: 'card' }, filter),
    h('section', { class: 'card' }, h('div', { class: 'row actions' }, exportBtn), listBox, more),
  );
  mount(listBox, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  loadPage(null).then(
    (p) => {
      mount(listBox, p.actions.length ? tableEl : empty(t('act.empty')));
      listBox.setAttribute('data-ready', 'true');
    },
    (e) => mount(listBox, failure(e, () => actionsPage(_p, query))),
  );
}
