// Plans: the active plan (or any version) in words, an editor that saves a
// new version, and the simulator.
import { ApiError } from '../lib/api';
import { errorText, h, mount, region, toast } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { activePlan, forgetPlans, levelLabel, planVersion } from './plan-cache';
import { gate } from './roles';
import { api } from './session';
import { simulator } from './simulator';
import type { Plan } from './types';
import { card, facts, heading, row, table } from './ui';

export function plansPage(_p: Record<string, string>, q: URLSearchParams): void {
  const wanted = Number(q.get('version') ?? '');
  const saved = q.get('saved');
  const main = page(t('nav.plans'));
  const active = activePlan();
  const shown = Number.isInteger(wanted) && wanted > 0 ? planVersion(wanted) : active;
  active.catch(() => {});
  const body = h('div', { 'data-testid': 'plans' });
  mount(
    main,
    heading(t('nav.plans'), t('plans.hint')),
    saved ? h('p', { class: 'notice', role: 'status', 'data-testid': 'plan-saved' }, t('plans.saved', { version: saved })) : null,
    body,
  );
  void region(
    body,
    () => Promise.all([shown, active]),
    ([plan, act]) => [
      versionBar(plan, act),
      card(t('plans.planTitle', { version: plan.version, name: plan.name }), 'plan-view', planView(plan)),
      card(t('sim.title'), 'simulator', simulator(plan, () => editorDraft())),
      card(t('plans.editTitle'), 'plan-editor', editor(plan, act)),
    ],
  );
}

function versionBar(plan: Plan, act: Plan): HTMLElement {
  const input = h('input', { id: 'plan-version', type: 'number', min: 1, max: act.version, value: plan.version, required: true, 'data-testid': 'plan-version-input' });
  return h(
    'form',
    {
      class: 'row card version-bar',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const v = Number(input.value);
        if (Number.isInteger(v) && v > 0) go(v === act.version ? '/plans' : `/plans?version=${v}`);
      },
    },
    h(
      'div',
      { class: 'grow' },
      h('strong', { 'data-testid': 'plan-active-version' }, t('plans.active', { version: act.version })),
      plan.version !== act.version ? h('span', { class: 'badge warn', 'data-testid': 'plan-old' }, t('plans.notActive', { version: plan.version })) : null,
    ),
    h('label', { for: 'plan-version' }, t('plans.showVersion'), input),
    h('button', { type: 'submit' }, t('plans.show')),
    plan.version !== act.version ? h('a', { href: '#/plans' }, t('plans.backToActive')) : null,
  );
}

function planView(p: Plan): HTMLElement[] {
  const tiers = p.tiers_bps ?? [];
  const general = facts([
    [t('plan.name'), p.name],
    [t('plan.mode'), t(`mode.${p.mode}`) + (t(`mode.${p.mode}.hint`) !== `mode.${p.mode}.hint` ? ` — ${t(`mode.${p.mode}.hint`)}` : '')],
    [t('plan.maxTiers'), count(p.max_tiers), 'plan-max-tiers'],
    [t('plan.platformMin'), bps(p.platform_min_bps ?? 0), 'plan-platform-min'],
    [t('plan.peerBonus'), bps(p.peer_bonus_bps ?? 0), 'plan-peer-bonus'],
    [t('plan.tiers'), tiers.length ? tiers.map((x, i) => t('plan.tierN', { n: i + 2, rate: bps(x) })).join(' · ') : '—'],
    [t('plan.holdDays'), t('plan.days', { n: p.hold_days ?? 0 }), 'plan-hold-days'],
    [t('plan.defaultLevel'), p.default_level ? levelLabel(p, p.default_level) : '—'],
    [t('plan.withdrawMin'), yuan(p.withdraw_min ?? 0), 'plan-withdraw-min'],
    [t('plan.withdrawFee'), bps(p.withdraw_fee_bps ?? 0), 'plan-withdraw-fee'],
    [t('plan.maxPayout'), h('span', null, bps(p.max_payout_bps), ' ', h('span', { class: 'muted' }, t('plan.maxPayoutHint'))), 'plan-max-payout'],
  ]);
  const levels = table(
    t('plan.levels'),
    [t('plan.levelKey'), t('plan.levelName'), { label: t('plan.rate'), num: true }, t('plan.canShare'), t('plan.upgrade')],
    p.levels.map((l) =>
      row(
        [
          h('code', null, l.key),
          { v: levelLabel(p, l.key), testid: 'level-name' },
          { v: bps(l.rate_bps), num: true, testid: 'level-rate' },
          l.can_share === false ? t('common.no') : t('common.yes'),
          l.upgrade ? h('code', { class: 'small' }, JSON.stringify(l.upgrade)) : '—',
        ],
        { 'data-level': l.key },
      ),
    ),
    'plan-levels',
  );
  const known = new Set(['name', 'mode', 'max_tiers', 'platform_min_bps', 'peer_bonus_bps', 'tiers_bps', 'hold_days', 'default_level', 'withdraw_min', 'withdraw_fee_bps', 'levels', 'version', 'max_payout_bps']);
  const rest = Object.entries(p).filter(([k]) => !known.has(k));
  return [
    general,
    h('h3', { class: 'sub' }, t('plan.levels')),
    levels,
    rest.length ? h('div', null, h('h3', { class: 'sub' }, t('plan.more')), facts(rest.map(([k, v]) => [k, h('code', { class: 'small' }, JSON.stringify(v))]))) : null,
  ].filter((x): x is HTMLElement => x !== null);
}

// The plan document as the editor holds it: without version and max_payout_bps.
export function documentOf(p: Plan): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...p };
  delete rest.version;
  delete rest.max_payout_bps;
  return rest;
}

let textarea: HTMLTextAreaElement | null = null;

// The draft in the editor, parsed; an error when it is not JSON.
function editorDraft(): Record<string, unknown> {
  if (!textarea) throw new Error(t('plans.noDraft'));
  const doc = JSON.parse(textarea.value) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(t('plans.notObject'));
  return doc as Record<string, unknown>;
}

function editor(plan: Plan, act: Plan): HTMLElement[] {
  const ta = h('textarea', {
    id: 'plan-json',
    rows: 24,
    spellcheck: 'false',
    'aria-describedby': 'plan-error plan-editor-hint',
    'data-testid': 'plan-json',
  });
  ta.value = JSON.stringify(documentOf(plan), null, 2);
  textarea = ta;
  const error = h('div', { id: 'plan-error', class: 'form-error plan-error', role: 'alert', 'data-testid': 'plan-error' });
  const save = gate(h('button', { type: 'submit', class: 'primary', 'data-testid': 'plan-save' }, t('plans.save')), 'plans', t('role.denied'));
  const showError = (msg: string, field: string | null) => {
    mount(error, h('strong', null, t('plans.refused')), ' ', h('span', { 'data-testid': 'plan-error-message' }, msg), field ? [' ', h('span', { class: 'badge bad', 'data-testid': 'plan-error-field' }, t('plans.field', { field }))] : null);
    ta.setAttribute('aria-invalid', 'true');
  };
  return [
    h(
      'p',
      { class: 'muted', id: 'plan-editor-hint' },
      plan.version === act.version ? t('plans.editHint', { version: act.version + 1 }) : t('plans.restoreHint', { version: plan.version, next: act.version + 1 }),
    ),
    h(
      'form',
      {
        class: 'editor',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          mount(error);
          ta.removeAttribute('aria-invalid');
          let doc: Record<string, unknown>;
          try {
            doc = editorDraft();
          } catch (err) {
            showError(t('plans.badJson', { message: err instanceof Error ? err.message : String(err) }), null);
            return;
          }
          if (!confirm(t('plans.confirmSave', { version: act.version + 1 }))) return;
          save.disabled = true;
          try {
            const saved = await api.put<Plan>('/plan', doc);
            forgetPlans();
            toast(t('plans.saved', { version: saved.version }));
            go(`/plans?saved=${saved.version}`);
          } catch (err) {
            if (err instanceof ApiError && err.status !== 0 && err.status < 500) showError(errorText(err), err.field);
            else showError(errorText(err), null);
            save.disabled = false;
          }
        },
      },
      h('label', { for: 'plan-json', class: 'block' }, t('plans.document'), ta),
      error,
      h(
        'div',
        { class: 'row' },
        save,
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              ta.value = JSON.stringify(documentOf(plan), null, 2);
              mount(error);
              ta.removeAttribute('aria-invalid');
            },
          },
          t('plans.reset'),
        ),
      ),
    ),
  ];
}
