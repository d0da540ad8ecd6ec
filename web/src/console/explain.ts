// Why a split line earned what it did, in words, from the plan it was split
// under: "differential: Mentor 70% − 50% already paid below = 20%".
import { bps, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { levelLabel, levelOf } from './plan-cache';
import type { Plan, SplitLine } from './types';

// lines: the split, tier 1 first; commission in fen.
export function explain(line: SplitLine, lines: SplitLine[], plan: Plan | null, commission: number): string {
  const level = levelLabel(plan, line.level);
  const lv = levelOf(plan, line.level);
  const levelRate = lv ? lv.rate_bps : null;
  const below = lines.filter((l) => l.tier < line.tier);
  // the highest rate already paid below this tier (differential mode)
  const paidBelow = below.reduce((m, l) => (l.role === 'peer_bonus' ? m : Math.max(m, l.rate_bps + (l.role === 'differential' ? paidUnder(lines, l.tier) : 0))), 0);
  const math = t('explain.math', { commission: yuan(commission), rate: bps(line.rate_bps), amount: yuan(line.amount) });
  let why: string;
  switch (line.role) {
    case 'sharer':
      why = t('explain.sharer', { level, rate: bps(line.rate_bps) });
      break;
    case 'self':
      why = t('explain.self', { level, rate: bps(line.rate_bps) });
      break;
    case 'differential':
      why = t('explain.differential', {
        level,
        own: bps(levelRate ?? line.rate_bps + paidBelow),
        below: bps(levelRate !== null ? levelRate - line.rate_bps : paidBelow),
        rate: bps(line.rate_bps),
      });
      break;
    case 'peer_bonus':
      why = t('explain.peer', { level, rate: bps(line.rate_bps) });
      break;
    case 'tier':
    case 'fixed':
      why = t('explain.tier', { tier: line.tier, rate: bps(line.rate_bps) });
      break;
    case 'none':
      why =
        lv && lv.can_share === false
          ? t('explain.noneCannotShare', { level })
          : t('explain.noneBelow', { level, own: levelRate === null ? '—' : bps(levelRate), paid: bps(paidBelow) });
      return why;
    default:
      why = t('explain.other', { role: line.role, rate: bps(line.rate_bps) });
  }
  return `${why}; ${math}`;
}

// The highest cumulative rate reached below `tier`.
function paidUnder(lines: SplitLine[], tier: number): number {
  return lines.filter((l) => l.tier < tier && l.role !== 'peer_bonus').reduce((m, l) => Math.max(m, l.rate_bps + (l.role === 'differential' ? paidUnder(lines, l.tier) : 0)), 0);
}

export function roleName(role: string): string {
  const k = `role.${role}`;
  return tOr(k, role);
}
