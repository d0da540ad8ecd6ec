// Chat groups: the list (owner, kind, state, the last N days' sends, clicks,
// orders and commission, a dormant badge) and a group's page (settings,
// schedule, queue and history with failures, results with the trend chart,
// send now, the preview of what the group would receive, pause / resume /
// archive).  The queue is GET /groups/{id}/jobs, the preview GET
// /groups/{id}/preview, send now POST /groups/{id}/send.
import './groups-messages';
import { enc, newIdempotencyKey } from '../lib/api';
import { failure, h, mount, region, toast } from '../lib/dom';
import { count, dateTime, shortDay, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import type { GroupFigures, GroupKind, GroupResult, GroupState, SendJob, SendJobPage } from '../lib/types';
import { chartBox, chartsAfter, fill } from './chart';
import { page } from './layout';
import { gate } from './roles';
import { api } from './session';
import { badge, card, confirmDialog, facts, heading, memberLink, money, num, row, table } from './ui';

export type Figures = GroupFigures;
export type { GroupResult };
interface GroupReport {
  from: string;
  to: string;
  dormant_days: number;
  groups: GroupResult[];
}
interface Group {
  id: number;
  channel: string;
  owner: string;
  name: string;
  kind: GroupKind;
  state: GroupState;
  settings: Record<string, unknown>;
  credentials: { set: boolean; hint?: string };
  chat_id?: string;
  paused_until?: string;
  pause_reason?: string;
}
export interface SendAfter {
  job: number;
  sent_at: string;
  union: string;
  product: string;
  link: string;
  after: Omit<Figures, 'sends' | 'failures'>;
}
export interface GroupResults {
  group: GroupResult;
  from: string;
  to: string;
  dormant_days: number;
  days: Array<Figures & { date: string }>;
  sends: SendAfter[];
}
export type Job = SendJob;

export type JobPage = SendJobPage;

export interface Preview {
  group: number;
  kind: string;
  union: string;
  product: string;
  method: string;
  url: string | null;
  body: unknown;
  text: string;
}

// The badge of a group that is not earning, with what to do about it.
export function dormantBadge(g: Pick<GroupResult, 'dormant' | 'suggestion'>): HTMLElement | null {
  if (!g.dormant && !g.suggestion) return null;
  const words = g.suggestion ? t(`groups.suggest.${g.suggestion}`) : '';
  return h(
    'span',
    { class: `badge ${g.dormant ? 'bad' : 'warn'}`, 'data-testid': 'group-dormant' },
    g.dormant ? t('groups.dormant') : t('groups.attention'),
    words ? ` · ${words}` : '',
  );
}

function when(v: number | string | undefined): string {
  if (v === undefined || v === 0 || v === '') return '—';
  return typeof v === 'number' ? dateTime(new Date(v * 1000).toISOString()) : dateTime(v);
}

export function groupsPage(): void {
  const main = page(t('groups.title'));
  const body = h('div');
  main.append(heading(t('groups.title'), t('groups.intro')), body);
  void region(
    body,
    async () => {
      const [list, report] = await Promise.all([
        api.get<{ groups: Group[] }>('/groups', { limit: 100 }),
        api.get<GroupReport>('/reports/groups'),
      ]);
      return { list, report };
    },
    ({ list, report }) => {
      const byId = new Map(report.groups.map((g) => [g.id, g]));
      if (!list.groups.length) return card(null, 'groups', h('div', { class: 'state empty' }, t('groups.none')));
      const n = report.dormant_days;
      return card(
        null,
        'groups',
        table(
          t('groups.title'),
          [
            t('groups.name'),
            t('groups.owner'),
            t('groups.kind'),
            t('groups.state'),
            { label: t('groups.sendsN', { n }), num: true },
            { label: t('groups.clicksN', { n }), num: true },
            { label: t('groups.ordersN', { n }), num: true },
            { label: t('groups.commissionN', { n }), num: true },
            t('groups.health'),
          ],
          list.groups.map((g) => {
            const r = byId.get(g.id);
            const f = r?.last_days;
            return row(
              [
                h('a', { href: `#/groups/${g.id}`, 'data-testid': 'group-link' }, g.name),
                memberLink(g.owner),
                t(`groups.kind.${g.kind}`),
                badge(g.state, 'groups.state'),
                num(f?.sends, 'group-sends'),
                num(f?.clicks, 'group-clicks'),
                num(f?.orders, 'group-orders'),
                money(f?.commission, 'group-commission'),
                r ? dormantBadge(r) : null,
              ],
              { 'data-testid': `group-row-${g.id}` },
            );
          }),
          'groups-table',
        ),
      );
    },
  );
}

function settingsSummary(g: Group): HTMLElement {
  const s = g.settings as {
    schedule?: { times?: string[]; every_minutes?: number; from?: string; to?: string };
    quiet?: { from: string; to: string };
    categories?: string[];
    keywords?: string[];
    dedup_days?: number;
    template?: string;
    selection?: { rule?: string };
    rate_per_minute?: number;
  };
  const sch = s.schedule;
  const schedule = sch?.times
    ? sch.times.join(' · ')
    : sch?.every_minutes
      ? t('groups.every', { n: sch.every_minutes, from: sch.from ?? '00:00', to: sch.to ?? '24:00' })
      : t('groups.defaultSchedule');
  return facts([
    [t('groups.channel'), g.channel, 'group-channel'],
    [t('groups.owner'), memberLink(g.owner)],
    [t('groups.kind'), t(`groups.kind.${g.kind}`)],
    [t('groups.state'), h('span', null, badge(g.state, 'groups.state'), g.pause_reason ? ` ${g.pause_reason}` : ''), 'group-state'],
    [t('groups.credentials'), g.kind === 'manual' ? t('groups.byHand') : g.credentials.set ? `…${g.credentials.hint ?? ''}` : t('groups.noCredential')],
    [t('groups.schedule'), schedule, 'group-schedule'],
    [t('groups.quiet'), s.quiet ? `${s.quiet.from}–${s.quiet.to}` : '—'],
    [t('groups.categories'), s.categories?.length ? s.categories.join('、') : t('groups.any')],
    [t('groups.keywords'), s.keywords?.length ? s.keywords.join('、') : '—'],
    [t('groups.selection'), s.selection?.rule === 'list' ? t('groups.selection.list') : t('groups.selection.ranking')],
    [t('groups.dedup'), t('groups.days', { n: s.dedup_days ?? 7 })],
    [t('groups.template'), s.template ?? 'text'],
  ]);
}

// Pause, resume, archive; send now; preview.
function actions(g: Group, reload: () => void, preview: HTMLElement): HTMLElement {
  const setState = async (state: string) => {
    if (state === 'archived' && !(await confirmDialog({ title: t('dialog.confirmTitle'), body: t('groups.archiveConfirm'), confirm: t('dialog.ok'), danger: true }))) return;
    try {
      await api.request('PATCH', `/groups/${g.id}`, { body: { state } });
      toast(t('groups.saved'));
      reload();
    } catch (e) {
      toast(failure(e).textContent ?? '', 'error');
    }
  };
  const sendNow = async (btn: HTMLButtonElement) => {
    btn.disabled = true;
    try {
      await api.post(`/groups/${g.id}/send`, {}, newIdempotencyKey());
      toast(t('groups.queued'));
      reload();
    } catch (e) {
      toast(failure(e).textContent ?? '', 'error');
    } finally {
      btn.disabled = false;
    }
  };
  const showPreview = () =>
    void region(
      preview,
      () => api.get<Preview>(`/groups/${g.id}/preview`),
      (p) => [
        h('p', { class: 'muted', 'data-testid': 'group-preview-product' }, `${p.union}:${p.product}`),
        h('pre', { class: 'preview', 'data-testid': 'group-preview-text' }, p.text),
        p.url ? h('p', { class: 'muted', 'data-testid': 'group-preview-url' }, `${p.method} ${p.url}`) : null,
        h('pre', { class: 'preview', 'data-testid': 'group-preview-body' }, JSON.stringify(p.body, null, 2)),
      ],
    );
  const archived = g.state === 'archived';
  return h(
    'div',
    { class: 'actions', 'data-testid': 'group-actions' },
    g.state === 'active' ? gate(h('button', { type: 'button', 'data-testid': 'group-pause', onclick: () => setState('paused') }, t('groups.pause')), 'groups', t('role.denied')) : null,
    g.state === 'paused' ? gate(h('button', { type: 'button', 'data-testid': 'group-resume', onclick: () => setState('active') }, t('groups.resume')), 'groups', t('role.denied')) : null,
    !archived ? gate(h('button', { type: 'button', 'data-testid': 'group-archive', onclick: () => setState('archived') }, t('groups.archive')), 'groups', t('role.denied')) : null,
    !archived ? gate(h('button', { type: 'button', 'data-testid': 'group-send', onclick: (e: Event) => sendNow(e.currentTarget as HTMLButtonElement) }, t('groups.sendNow')), 'groups', t('role.denied')) : null,
    h('button', { type: 'button', 'data-testid': 'group-preview', onclick: showPreview }, t('groups.preview')),
  );
}

function jobsTable(jobs: Job[]): HTMLElement {
  if (!jobs.length) return h('div', { class: 'state empty' }, t('groups.noJobs'));
  return table(
    t('groups.queue'),
    [t('groups.due'), t('groups.product'), t('groups.jobState'), { label: t('groups.attempts'), num: true }, t('groups.answer')],
    jobs.map((j) =>
      row(
        [
          when(j.sent_at ?? j.due_at),
          `${j.union}:${j.product}`,
          badge(j.state, 'job'),
          num(j.attempts),
          j.code || j.message ? h('span', { class: j.state === 'failed' ? 'neg' : null, 'data-testid': 'job-failure' }, [j.code, j.message].filter(Boolean).join(' · ')) : '—',
        ],
        { 'data-testid': `job-${j.id}` },
      ),
    ),
    'group-jobs',
  );
}

export function figureFacts(f: Figures, prefix = 'group-total'): HTMLElement {
  return facts([
    [t('groups.sends'), count(f.sends), `${prefix}-sends`],
    [t('groups.failures'), count(f.failures), `${prefix}-failures`],
    [t('groups.clicks'), `${count(f.clicks)}（${t('groups.unique', { n: count(f.unique_clicks) })}）`, `${prefix}-clicks`],
    [t('groups.orders'), count(f.orders), `${prefix}-orders`],
    [t('groups.gmv'), yuan(f.gmv), `${prefix}-gmv`],
    [t('groups.commission'), yuan(f.commission), `${prefix}-commission`],
    [t('groups.ownerShare'), yuan(f.owner_share), `${prefix}-owner-share`],
  ]);
}

function trend(r: GroupResults): HTMLElement {
  const box = chartBox(t('groups.trend'), 'group-trend');
  const alt = table(
    t('groups.trend'),
    [t('common.date'), { label: t('groups.sends'), num: true }, { label: t('groups.clicks'), num: true }, { label: t('groups.orders'), num: true }, { label: t('groups.commission'), num: true }],
    r.days.map((d) => row([d.date, num(d.sends), num(d.clicks), num(d.orders), money(d.commission)])),
  );
  void fill(
    box,
    {
      categories: r.days.map((d) => shortDay(d.date)),
      series: [
        { name: t('groups.sends'), type: 'bar', data: r.days.map((d) => d.sends) },
        { name: t('groups.clicks'), type: 'line', data: r.days.map((d) => d.clicks) },
        { name: t('groups.orders'), type: 'line', data: r.days.map((d) => d.orders) },
      ],
      format: [(v) => count(v)],
    },
    alt,
  );
  return box;
}

export function sendsTable(sends: SendAfter[]): HTMLElement {
  if (!sends.length) return h('div', { class: 'state empty' }, t('groups.noSends'));
  return table(
    t('groups.history'),
    [t('groups.sentAt'), t('groups.product'), t('groups.link'), { label: t('groups.clicks48'), num: true }, { label: t('groups.orders48'), num: true }, { label: t('groups.commission48'), num: true }],
    sends.map((s) => row([when(s.sent_at), `${s.union}:${s.product}`, s.link || '—', num(s.after.clicks), num(s.after.orders), money(s.after.commission)])),
    'group-sends',
  );
}

export function groupPage(params: Record<string, string>): void {
  const id = Number(params.id);
  const main = page(t('groups.title'));
  const head = h('div');
  const jobs = h('div', { 'data-testid': 'group-queue' });
  const results = h('div', { 'data-testid': 'group-results' });
  const preview = h('div', { 'data-testid': 'group-preview-box' });
  main.append(head);
  const load = () => {
    void region(head, () => api.get<Group>(`/groups/${enc(String(id))}`), (g) => [
      heading(g.name, h('span', null, dormantSlot(g.id))),
      card(t('groups.settings'), 'group-settings', settingsSummary(g), actions(g, load, preview), preview),
      card(t('groups.queue'), null, jobs),
      card(t('groups.results'), null, results),
    ]).then(() => {
      void region(
        jobs,
        () => api.get<JobPage>(`/groups/${id}/jobs`, { per_page: 50 }),
        (doc) => jobsTable(doc.jobs),
      );
      const first = api.get<GroupResults>(`/groups/${id}/results`);
      chartsAfter(first);
      void region(
        results,
        () => first,
        (r) => {
          const slot = document.getElementById(`dormant-${id}`);
          if (slot) mount(slot, dormantBadge(r.group));
          return [
            h('p', { class: 'muted' }, t('groups.range', { from: r.from, to: r.to })),
            figureFacts(r.group.totals),
            trend(r),
            h('h3', null, t('groups.history')),
            sendsTable(r.sends),
          ];
        },
      );
    });
  };
  load();
}

function dormantSlot(id: number): HTMLElement {
  return h('span', { id: `dormant-${id}` });
}
