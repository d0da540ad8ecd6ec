// The active plan (levels, their names and rates) and plan versions, read
// once and shared by the sections; a saved plan clears them.
import { lang } from '../lib/i18n';
import { levelWords } from '../lib/types';
import { api } from './session';
import type { Level, Plan } from './types';

let active: Promise<Plan> | null = null;
const versions = new Map<number, Promise<Plan>>();

export function activePlan(): Promise<Plan> {
  if (!active) {
    active = api.get<Plan>('/plan');
    active.catch(() => (active = null));
  }
  return active;
}

export function planVersion(v: number): Promise<Plan> {
  let p = versions.get(v);
  if (!p) {
    p = api.get<Plan>('/plan', { version: v });
    versions.set(v, p);
    p.catch(() => versions.delete(v));
  }
  return p;
}

export function forgetPlans(): void {
  active = null;
}

export function levelOf(plan: Plan | null | undefined, key: string): Level | undefined {
  return plan?.levels.find((l) => l.key === key);
}

// The level's name in the reader's language (the plan's names[locale],
// else its name), or the key alone when the plan does not know it.
export function levelLabel(plan: Plan | null | undefined, key: string): string {
  return levelWords(levelOf(plan, key), key, lang());
}
