// The plan's versions (GET /plan/versions): when each was set and by whom,
// and any two compared field by field (plan-diff.ts), levels matched by key.
import { failure, h, mount, region } from '../lib/dom';
import { dateTime } from '../lib/format';
import { t } from '../lib/i18n';
import { diffPlans, diffView } from './plan-diff';
import { documentOf } from './plan-editor';
import { planVersion } from './plan-cache';
import { api } from './session';
import type { Plan } from './types';
import { row, showMore, table } from './ui';

export interface PlanVersionRow {
  version: number;
  name?: string;
  created_at: string;
  actor: string | null;
}
interface VersionPage {
  versions: PlanVersionRow[];
  next: string | null;
}

function versionRows(list: PlanVersionRow[], active: number): HTMLTableRowElement[] {
  return list.map((v) =>
    row(
      [
        h('a', { href: v.version === active ? '#/plans' : `#/plans?version=${v.version}` }, `v${v.version}`),
        v.name ?? '—',
        dateTime(v.created_at),
        v.actor ?? h('span', { class: 'muted' }, '—'),
        v.version === active ? h('span', { class: 'badge ok' }, t('pe.activeBadge')) : '',
      ],
      { 'data-version': String(v.version) },
    ),
  );
}

// Two selects (older, newer) and the changes between them.
function comparer(all: PlanVersionRow[], shown: Plan): HTMLElement {
  const opts = (sel: number) => all.map((v) => h('option', { value: v.version, selected: v.version === sel }, `v${v.version} · ${v.name ?? ''}`));
  const newer = shown.version;
  const older = all.find((v) => v.version < newer)?.version ?? newer;
  const from = h('select', { id: 'pv-from', 'data-testid': 'pv-from' }, opts(older));
  const to = h('select', { id: 'pv-to', 'data-testid': 'pv-to' }, opts(newer));
  const out = h('div', { 'data-testid': 'pv-result', 'aria-live': 'polite' });
  const compare = () => {
    const a = Number(from.value);
    const b = Number(to.value);
    out.removeAttribute('data-ready');
    void region(
      out,
      () => Promise.all([planVersion(a), planVersion(b)]),
      ([pa, pb]) => {
        out.setAttribute('data-ready', `${a}-${b}`);
        return [h('p', { class: 'muted' }, t('pe.comparing', { a, b })), diffView(diffPlans(documentOf(pa), documentOf(pb)), 'pv-diff')];
      },
    );
  };
  from.addEventListener('change', compare);
  to.addEventListener('change', compare);
  compare();
  return h(
    'div',
    { class: 'pv-compare' },
    h('div', { class: 'row' }, h('label', { for: 'pv-from' }, t('pe.from'), from), h('label', { for: 'pv-to' }, t('pe.to'), to)),
    out,
  );
}

export function planVersions(shown: Plan, act: Plan): HTMLElement {
  const body = h('div', { 'data-testid': 'plan-versions' });
  const more = h('div', { class: 'more' });
  const all: PlanVersionRow[] = [];
  let tbody: HTMLElement | null = null;
  const load = async (before: string | null): Promise<void> => {
    const page = await api.get<VersionPage>('/plan/versions', { limit: 100, before });
    all.push(...page.versions);
    const rows = versionRows(page.versions, act.version);
    if (tbody) tbody.append(...rows);
    else {
      const tab = table(t('pe.versions'), [t('pe.version'), t('plan.name'), t('pe.setAt'), t('pe.setBy'), ''], rows, 'pv-table');
      tbody = tab.querySelector('tbody');
      mount(body, tab, more, h('h3', { class: 'sub' }, t('pe.compare')), comparer(all, shown));
    }
    if (page.next) showMore(more, 'pv-more', () => load(page.next));
    else more.replaceChildren();
  };
  load(null).catch((e) => mount(body, failure(e)));
  return body;
}
