// The plan editor's arithmetic and rules: percent text <-> integer bps and
// yuan text <-> integer fen (exact, from the decimal string, never through a
// float), and the checks PUT /plan applies (src/core/plan.c), run locally as
// the operator types so each message can sit beside its field.
/* eslint-disable @typescript-eslint/no-base-to-string -- the draft is untyped JSON as the operator typed it: its values are shown as they are */
import { bps as bpsText, yuan } from '../lib/format';
import { t } from '../lib/i18n';

export type Doc = Record<string, unknown>;
export interface Issue {
  field: string; // as the server names it: levels[2].rate_bps
  msg: string;
}

export const BPS_ONE = 10000;
export const MAX_TIERS = 3;
export const MAX_LEVELS = 16;
export const MAX_CONDITIONS = 16;
const MAX_WINDOWS = 8;
const WINDOW_DAYS_MAX = 366;
const COUNT_MAX = 1_000_000_000;
export const MONEY_MAX_FEN = 100_000_000_000_000;
const NAME_MAX = 63; // bytes

export const KINDS = ['direct_invites', 'team_size', 'own_gmv', 'own_commission', 'team_gmv', 'team_commission', 'direct_at_level', 'gift_pack'] as const;
export type Kind = (typeof KINDS)[number];
// Conditions over a window of days whose threshold is money (fen).
export const isMoneyKind = (k: string): boolean => k === 'own_gmv' || k === 'own_commission' || k === 'team_gmv' || k === 'team_commission';

// "51.25" or "51.25%" -> 5125; null when it is not a percent with at most two decimals.
export function parsePercent(s: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

// 5125 -> "51.25", 5000 -> "50": what a percent input shows.
export function percentInput(v: number): string {
  return bpsText(v).replace('%', '');
}

// 123456 -> "1234.56": what a yuan input shows (no grouping, no symbol).
export function yuanInput(fen: number): string {
  return yuan(fen, { symbol: false }).replace(/,/g, '');
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const bytes = (s: string) => new TextEncoder().encode(s).length;
const levelsOf = (doc: Doc): Doc[] => (Array.isArray(doc.levels) ? (doc.levels as unknown[]).filter((l): l is Doc => !!l && typeof l === 'object') : []);

// The most the plan could pay of a commission, in bps (plan_max_payout_bps).
export function maxPayout(doc: Doc): { total: number; top: number } {
  let max = 0;
  let top = -1;
  levelsOf(doc).forEach((l, i) => {
    if (isInt(l.rate_bps) && l.rate_bps > max) {
      max = l.rate_bps;
      top = i;
    }
  });
  if (top < 0 && levelsOf(doc).length) top = 0;
  const tiers = Array.isArray(doc.tiers_bps) ? (doc.tiers_bps as unknown[]) : [];
  const maxTiers = isInt(doc.max_tiers) ? doc.max_tiers : 1;
  let total = max;
  if (doc.mode === 'fixed')
    for (let i = 0; i < maxTiers - 1 && i < tiers.length; i++) {
      const v = tiers[i];
      total += isInt(v) ? v : 0;
    }
  else if (maxTiers > 1) total += isInt(doc.peer_bonus_bps) ? doc.peer_bonus_bps : 0;
  return { total, top };
}

function range(out: Issue[], doc: Doc, key: string, lo: number, hi: number, required = false): void {
  const v = doc[key];
  if (v === undefined) {
    if (required) out.push({ field: key, msg: t('pe.required') });
  } else if (!isInt(v) || v < lo || v > hi) out.push({ field: key, msg: t('pe.range', { lo, hi }) });
}

function rate(out: Issue[], field: string, v: unknown): void {
  if (!isInt(v) || v < 0 || v > BPS_ONE) out.push({ field, msg: t('pe.rate') });
}

function checkGeneral(doc: Doc, out: Issue[]): void {
  if (typeof doc.name !== 'string' || !doc.name.trim()) out.push({ field: 'name', msg: t('pe.required') });
  else if (bytes(doc.name) > NAME_MAX) out.push({ field: 'name', msg: t('pe.tooLong', { n: NAME_MAX }) });
  if (doc.mode !== 'differential' && doc.mode !== 'fixed') out.push({ field: 'mode', msg: t('pe.mode') });
  range(out, doc, 'max_tiers', 1, MAX_TIERS, true);
  for (const k of ['platform_min_bps', 'peer_bonus_bps', 'withdraw_fee_bps']) if (doc[k] !== undefined) rate(out, k, doc[k]);
  range(out, doc, 'hold_days', 0, 365);
  if (doc.withdraw_min !== undefined && (!isInt(doc.withdraw_min) || doc.withdraw_min < 0 || doc.withdraw_min > MONEY_MAX_FEN)) out.push({ field: 'withdraw_min', msg: t('pe.money') });
  const tiers = doc.tiers_bps;
  if (tiers !== undefined) {
    if (!Array.isArray(tiers) || tiers.length > MAX_TIERS - 1) out.push({ field: 'tiers_bps', msg: t('pe.tiersMax') });
    else tiers.forEach((v, i) => rate(out, `tiers_bps[${i}]`, v));
  }
  const n = Array.isArray(tiers) ? tiers.length : 0;
  if (doc.mode === 'fixed' && isInt(doc.max_tiers) && n < doc.max_tiers - 1) out.push({ field: 'tiers_bps', msg: t('pe.tiersNeeded', { n: doc.max_tiers - 1 }) });
  if (doc.downgrade !== undefined && doc.downgrade !== 'never' && doc.downgrade !== 'monthly') out.push({ field: 'downgrade', msg: t('pe.downgrade.bad') });
  if (doc.review_granted === true && doc.downgrade !== 'monthly') out.push({ field: 'review_granted', msg: t('pe.reviewGranted') });
}

function checkLevels(doc: Doc, out: Issue[]): void {
  const levels = levelsOf(doc);
  if (!Array.isArray(doc.levels) || levels.length < 1 || levels.length > MAX_LEVELS) out.push({ field: 'levels', msg: t('pe.levelCount', { n: MAX_LEVELS }) });
  const seen = new Set<string>();
  levels.forEach((l, i) => {
    const key = typeof l.key === 'string' ? l.key : '';
    if (!/^[a-z0-9_-]{1,31}$/.test(key)) out.push({ field: `levels[${i}].key`, msg: t('pe.key') });
    else if (seen.has(key)) out.push({ field: `levels[${i}].key`, msg: t('pe.dupKey', { key }) });
    seen.add(key);
    if (typeof l.name === 'string' && bytes(l.name) > NAME_MAX) out.push({ field: `levels[${i}].name`, msg: t('pe.tooLong', { n: NAME_MAX }) });
    rate(out, `levels[${i}].rate_bps`, l.rate_bps);
  });
  if (doc.default_level !== undefined && !levels.some((l) => l.key === doc.default_level)) out.push({ field: 'default_level', msg: t('pe.defaultLevel') });
}

function checkUpgrades(doc: Doc, out: Issue[]): void {
  const levels = levelsOf(doc);
  const keys = new Set(levels.map((l) => l.key));
  const windows = new Set<number>();
  levels.forEach((l, i) => {
    const u = l.upgrade as Doc | undefined;
    if (u === undefined) return;
    const at = `levels[${i}].upgrade`;
    if (u.match !== undefined && u.match !== 'all' && u.match !== 'any') out.push({ field: `${at}.match`, msg: t('pe.match') });
    const conds = Array.isArray(u.conditions) ? (u.conditions as Doc[]) : [];
    if (conds.length < 1 || conds.length > MAX_CONDITIONS) out.push({ field: `${at}.conditions`, msg: t('pe.condCount', { n: MAX_CONDITIONS }) });
    conds.forEach((c, j) => {
      const f = `${at}.conditions[${j}]`;
      const kind = String(c.kind ?? '');
      if (!(KINDS as readonly string[]).includes(kind)) return out.push({ field: `${f}.kind`, msg: t('pe.kind') });
      if (kind !== 'gift_pack') {
        const hi = isMoneyKind(kind) ? MONEY_MAX_FEN : COUNT_MAX;
        if (!isInt(c.min) || c.min < 0 || c.min > hi) out.push({ field: `${f}.min`, msg: isMoneyKind(kind) ? t('pe.money') : t('pe.range', { lo: 0, hi }) });
      }
      if (isMoneyKind(kind)) {
        if (!isInt(c.days) || c.days < 1 || c.days > WINDOW_DAYS_MAX) out.push({ field: `${f}.days`, msg: t('pe.range', { lo: 1, hi: WINDOW_DAYS_MAX }) });
        else if (windows.add(c.days).size > MAX_WINDOWS) out.push({ field: `${f}.days`, msg: t('pe.windows', { n: MAX_WINDOWS }) });
      }
      if (kind === 'direct_at_level' && !keys.has(c.level)) out.push({ field: `${f}.level`, msg: t('pe.defaultLevel') });
    });
  });
}

// The budget: what the plan could pay must leave the platform its minimum.
// The message sits beside the field last edited when that is one of the
// figures in the sum, else beside the highest level rate.
function checkBudget(doc: Doc, out: Issue[], lastEdited: string | null): void {
  const { total, top } = maxPayout(doc);
  const min = isInt(doc.platform_min_bps) ? doc.platform_min_bps : 0;
  if (total <= BPS_ONE - min || top < 0) return;
  const sumFields = ['platform_min_bps', 'peer_bonus_bps', 'tiers_bps[0]', 'tiers_bps[1]', 'max_tiers', 'mode'];
  const field = lastEdited && sumFields.includes(lastEdited) ? lastEdited : `levels[${top}].rate_bps`;
  const what = doc.mode === 'fixed' ? t('pe.budgetFixed') : t('pe.budgetDiff');
  out.push({ field, msg: t('pe.budget', { total: bpsText(total), what, left: bpsText(BPS_ONE - min) }) });
}

// Every rule the server applies that can be checked here; in field order.
export function checkPlan(doc: Doc, lastEdited: string | null = null): Issue[] {
  const out: Issue[] = [];
  checkGeneral(doc, out);
  checkLevels(doc, out);
  checkUpgrades(doc, out);
  if (!out.some((i) => /rate_bps|_bps|max_tiers|mode/.test(i.field))) checkBudget(doc, out, lastEdited);
  return out;
}
