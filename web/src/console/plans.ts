// Plans: the active plan (or any version) in words, the simulator, the
// editor that saves a new version (plan-editor.ts) and the versions with
// their comparison (plan-versions.ts).
import { h, mount, region } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { page } from './layout';
import { ruleText } from './plan-diff';
import { planEditor } from './plan-editor';
import './plans-messages';
import { activePlan, levelLabel, planVersion } from './plan-cache';
import { planVersions } from './plan-versions';
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
    ([plan, act]) => {
      const editor = planEditor(plan, act);
      return [
        versionBar(plan, act),
        card(t('plans.planTitle', { version: plan.version, name: plan.name }), 'plan-view', planView(plan)),
        card(t('sim.title'), 'simulator', simulator(plan, editor.draft)),
        card(t('plans.editTitle'), 'plan-editor', editor.el),
        card(t('pe.versions'), 'plan-versions-card', planVersions(plan, act)),
      ];
    },
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
          l.upgrade ? h('span', { class: 'small' }, ruleText(l.upgrade)) : '—',
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
