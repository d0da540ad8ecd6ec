// The me page's two glances: estimated commission and orders today,
// yesterday, this month and last month (GET /reports/summary, the member's
// own), and the way to the next level in words — "还差 2 位直属超级会员" —
// from GET /members/{id}/level-progress.
import { ApiError, enc } from '../lib/api';
import { h } from '../lib/dom';
import { count, isoDay, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { api, myId } from './session';
import type { Summary } from './types';
import { levelName, section, show } from './ui';
import './feed-messages';

interface Condition {
  kind: string;
  min: number;
  have: number;
  missing: number;
  met: boolean;
  days?: number;
  level?: string;
}

export interface LevelProgress {
  member: string;
  level: string;
  next: null | { level: string; name: string; match: 'all' | 'any'; rule: boolean; conditions: Condition[] };
}

const MONEY = new Set(['own_gmv', 'own_commission', 'team_gmv', 'team_commission']);

// ---- the summary ----

interface Period {
  key: 'today' | 'yesterday' | 'month' | 'lastMonth';
  commission: number;
  orders: number;
}

async function periods(): Promise<Period[]> {
  const now = new Date();
  const today = isoDay(now);
  const monthStart = isoDay(new Date(now.getFullYear(), now.getMonth(), 1));
  const lastStart = isoDay(new Date(now.getFullYear(), now.getMonth() - 1, 1));
  const lastEnd = isoDay(new Date(now.getFullYear(), now.getMonth(), 0));
  // a day's summary answers the day before as its `previous` period
  const [day, month, last] = await Promise.all([
    api.get<Summary>('/reports/summary', { from: today, to: today }),
    api.get<Summary>('/reports/summary', { from: monthStart, to: today }),
    api.get<Summary>('/reports/summary', { from: lastStart, to: lastEnd }),
  ]);
  return [
    { key: 'today', commission: day.totals.commission, orders: day.totals.orders },
    { key: 'yesterday', commission: day.previous.totals.commission, orders: day.previous.totals.orders },
    { key: 'month', commission: month.totals.commission, orders: month.totals.orders },
    { key: 'lastMonth', commission: last.totals.commission, orders: last.totals.orders },
  ];
}

export function summarySection(): HTMLElement {
  const box = h('div');
  void show(box, periods, (ps) => [
    h(
      'div',
      { class: 'p-tiles p-sum', 'data-testid': 'me-summary' },
      ps.map((p) =>
        h(
          'div',
          { class: 'p-tile', 'data-testid': `sum-${p.key}` },
          h('div', { class: 'p-tile-label' }, t(`sum.${p.key}`)),
          h('div', { class: 'p-tile-value', 'data-testid': `sum-${p.key}-commission` }, yuan(p.commission)),
          h('div', { class: 'p-tile-hint', 'data-testid': `sum-${p.key}-orders` }, t('sum.orders', { n: count(p.orders) })),
        ),
      ),
    ),
    h('p', { class: 'muted p-sum-hint' }, t('sum.hint')),
  ]);
  return section(t('sum.title'), box);
}

// ---- level progress ----

// A condition in words: what is still missing, or what was reached.
export function conditionWords(c: Condition): string {
  const vars = {
    n: count(c.missing),
    have: MONEY.has(c.kind) ? yuan(c.have) : count(c.have),
    amount: MONEY.has(c.kind) ? yuan(c.met ? c.have : c.missing) : '',
    days: c.days ?? '',
    level: c.level ? levelName(c.level) : '',
  };
  const key = c.met ? `lp.done.${c.kind}` : `lp.${c.kind}`;
  return tOr(key, c.kind, vars);
}

function conditionRow(c: Condition): HTMLElement {
  const money = MONEY.has(c.kind);
  const shown = (v: number) => (money ? yuan(v) : count(v));
  // the bar never overflows and never hides a start: met is full
  const pct = c.met ? 100 : c.min > 0 ? Math.max(0, Math.min(99, Math.floor((c.have * 100) / c.min))) : 0;
  return h(
    'li',
    { class: `p-lp-cond ${c.met ? 'met' : ''}`, 'data-testid': 'lp-condition', 'data-kind': c.kind, 'data-met': String(c.met) },
    h(
      'div',
      { class: 'p-lp-line' },
      h('span', { class: 'p-lp-words', 'data-testid': 'lp-words' }, conditionWords(c)),
      c.met ? h('span', { class: 'badge ok' }, t('lp.met')) : h('span', { class: 'muted num' }, t('lp.ofMin', { have: shown(c.have), min: shown(c.min) })),
    ),
    c.kind === 'gift_pack'
      ? null
      : h(
          'div',
          { class: 'p-lp-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': conditionWords(c) },
          h('span', { style: `width:${pct}%` }),
        ),
  );
}

function progressCard(lp: LevelProgress): HTMLElement {
  const next = lp.next;
  const nextName = next ? (levelName(next.level) !== next.level ? levelName(next.level) : next.name || next.level) : '';
  return h(
    'div',
    { class: 'p-card p-lp', 'data-testid': 'level-progress' },
    h('div', { class: 'p-lp-head' }, h('span', { class: 'muted' }, t('lp.current')), h('strong', { 'data-testid': 'lp-level' }, levelName(lp.level))),
    !next
      ? h('p', { 'data-testid': 'lp-top' }, t('lp.top'))
      : !next.rule
        ? h('p', { class: 'muted', 'data-testid': 'lp-norule' }, t('lp.noRule', { level: nextName }))
        : [
            h('div', { class: 'p-lp-next', 'data-testid': 'lp-next' }, t('lp.next', { level: nextName })),
            h('p', { class: 'muted p-lp-match' }, t(next.match === 'any' ? 'lp.any' : 'lp.all')),
            h('ul', { class: 'p-lp-list' }, next.conditions.map(conditionRow)),
          ],
  );
}

export function levelSection(): HTMLElement {
  const box = h('div');
  void show(
    box,
    () =>
      api.get<LevelProgress>(`/members/${enc(myId())}/level-progress`).catch((e: unknown) => {
        // no plan yet: nothing to climb, said plainly instead of an error
        if (e instanceof ApiError && e.status === 404 && e.field === 'plan') return null;
        throw e;
      }),
    (lp) => (lp ? progressCard(lp) : h('p', { class: 'muted p-card' }, t('lp.noPlan'))),
  );
  return section(t('lp.title'), box);
}
