// What changes between two plan documents, field by field, in the words and
// units the console shows (percent, yuan, days); levels are matched by key,
// so a renamed rate reads as that level's change, not as a shifted list.
// Used by the save dialog (active -> draft) and the versions' comparison.
/* eslint-disable @typescript-eslint/no-base-to-string -- the draft is untyped JSON as the operator typed it: its values are shown as they are */
import { h } from '../lib/dom';
import { bps, count, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { type Doc, isMoneyKind } from './plan-rules';
import { table, row } from './ui';

export interface Change {
  field: string; // a label for people
  path: string; // the document's name for it: levels[mentor].rate_bps
  before: string;
  after: string;
}

const ABSENT = '—';
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const rate = (v: unknown) => (v === undefined ? ABSENT : typeof v === 'number' ? bps(v) : String(v));

// A level's upgrade rule in words: "all of: direct invites ≥ 3; own GMV ≥ ¥1,000.00 over 30 days".
export function ruleText(u: unknown): string {
  if (!u || typeof u !== 'object') return ABSENT;
  const r = u as Doc;
  const conds = Array.isArray(r.conditions) ? (r.conditions as Doc[]) : [];
  const parts = conds.map((c) => {
    const kind = String(c.kind);
    let s = tOr(`pe.kind.${kind}`, kind);
    if (c.min !== undefined) s += ` ≥ ${isMoneyKind(kind) ? yuan(num(c.min)) : count(num(c.min))}`;
    if (c.level !== undefined) s += ` · ${String(c.level)}`;
    if (c.days !== undefined) s += ` ${t('pe.overDays', { n: String(c.days) })}`;
    return s;
  });
  return `${r.match === 'any' ? t('pe.matchAny') : t('pe.matchAll')}: ${parts.join('; ')}`;
}

const general: Array<[string, string, (v: unknown) => string]> = [
  ['name', 'plan.name', (v) => String(v ?? ABSENT)],
  ['mode', 'plan.mode', (v) => (v === undefined ? ABSENT : tOr(`mode.${String(v)}`, String(v)))],
  ['max_tiers', 'plan.maxTiers', (v) => (v === undefined ? ABSENT : String(v))],
  ['platform_min_bps', 'plan.platformMin', rate],
  ['peer_bonus_bps', 'plan.peerBonus', rate],
  ['tiers_bps', 'plan.tiers', (v) => (Array.isArray(v) && v.length ? v.map((x, i) => t('plan.tierN', { n: i + 2, rate: rate(x) })).join(' · ') : ABSENT)],
  ['hold_days', 'plan.holdDays', (v) => (v === undefined ? ABSENT : t('plan.days', { n: String(v) }))],
  ['default_level', 'plan.defaultLevel', (v) => String(v ?? ABSENT)],
  ['withdraw_min', 'plan.withdrawMin', (v) => (typeof v === 'number' ? yuan(v) : String(v ?? ABSENT))],
  ['withdraw_fee_bps', 'plan.withdrawFee', rate],
  ['downgrade', 'pe.downgrade', (v) => (v === 'monthly' ? t('pe.downMonthly') : t('pe.downNever'))],
  ['review_granted', 'pe.reviewGrantedLabel', (v) => (v === true ? t('common.yes') : t('common.no'))],
];
const levelFields: Array<[string, string, (v: unknown) => string]> = [
  ['name', 'plan.levelName', (v) => String(v ?? ABSENT)],
  ['rate_bps', 'plan.rate', rate],
  ['can_share', 'plan.canShare', (v) => (v === false ? t('common.no') : t('common.yes'))],
  ['upgrade', 'plan.upgrade', ruleText],
];
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const IGNORED = new Set(['version', 'max_payout_bps', 'levels']);

function levelChanges(a: Doc[], b: Doc[], out: Change[]): void {
  const byKey = (ls: Doc[]) => new Map(ls.map((l, i) => [String(l.key), { l, i }]));
  const before = byKey(a);
  const after = byKey(b);
  for (const [key, { l, i }] of after) {
    const was = before.get(key);
    const label = t('pe.levelLabel', { key });
    if (!was) {
      out.push({ field: label, path: `levels[${key}]`, before: ABSENT, after: t('pe.added', { rate: rate(l.rate_bps), pos: i + 1 }) });
      continue;
    }
    for (const [f, name, fmt] of levelFields)
      if (!same(was.l[f], l[f]) && !(f === 'can_share' && fmt(was.l[f]) === fmt(l[f]))) out.push({ field: `${label} · ${tOr(name, name)}`, path: `levels[${key}].${f}`, before: fmt(was.l[f]), after: fmt(l[f]) });
    if (was.i !== i) out.push({ field: `${label} · ${t('pe.position')}`, path: `levels[${key}]`, before: String(was.i + 1), after: String(i + 1) });
    if (!same(was.l.names, l.names)) out.push({ field: `${label} · names`, path: `levels[${key}].names`, before: JSON.stringify(was.l.names ?? null), after: JSON.stringify(l.names ?? null) });
  }
  for (const [key, { l }] of before) if (!after.has(key)) out.push({ field: t('pe.levelLabel', { key }), path: `levels[${key}]`, before: rate(l.rate_bps), after: t('pe.removed') });
}

export function diffPlans(a: Doc, b: Doc): Change[] {
  const out: Change[] = [];
  for (const [f, name, fmt] of general) if (!same(a[f], b[f]) && fmt(a[f]) !== fmt(b[f])) out.push({ field: tOr(name, name), path: f, before: fmt(a[f]), after: fmt(b[f]) });
  levelChanges((a.levels ?? []) as Doc[], (b.levels ?? []) as Doc[], out);
  const known = new Set([...general.map(([f]) => f), ...IGNORED]);
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
    if (!known.has(k) && !same(a[k], b[k])) out.push({ field: k, path: k, before: a[k] === undefined ? ABSENT : JSON.stringify(a[k]), after: b[k] === undefined ? ABSENT : JSON.stringify(b[k]) });
  return out;
}

export function diffView(changes: Change[], testid: string): HTMLElement {
  if (!changes.length) return h('p', { class: 'muted', 'data-testid': testid, 'data-empty': 'true' }, t('pe.noChanges'));
  return table(
    t('pe.changes'),
    [t('pe.field'), t('pe.before'), t('pe.after')],
    changes.map((c) => row([c.field, h('span', { class: 'pd-before' }, c.before), h('strong', null, c.after)], { 'data-path': c.path })),
    testid,
  );
}
