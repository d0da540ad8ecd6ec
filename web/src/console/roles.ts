// What the logged-in operator's role may do, so that the console hides or
// disables what the server would refuse (the server stays the authority:
// a refused call still says forbidden_role).  The same table as the
// server's (src/http/route_roles.c, docs/security.md).
import { api } from './session';

export type Role = 'admin' | 'finance' | 'operations' | 'viewer';

export type Action =
  | 'money' // approve, reject, mark paid, settle
  | 'payout' // the payout file
  | 'members' // levels, passwords, new members
  | 'groups' // pause, resume, archive, send now
  | 'plans' // a new plan version
  | 'simulate' // try a split
  | 'statements' // generate and move the merchants' statements
  | 'channels' // the head's partner channels and their union ids
  | 'promo' // merchants, campaigns, slot fees
  | 'collect'; // a slot fee collected: operations' and finance's

const allowed: Record<Role, ReadonlyArray<Action>> = {
  admin: ['money', 'payout', 'members', 'groups', 'plans', 'simulate', 'statements', 'channels', 'promo', 'collect'],
  finance: ['money', 'payout', 'simulate', 'statements', 'collect'],
  operations: ['members', 'groups', 'simulate', 'channels', 'promo', 'collect'],
  viewer: [],
};

export function role(): Role | null {
  const r = api.credential?.role;
  return r === 'admin' || r === 'finance' || r === 'operations' || r === 'viewer' ? r : null;
}

export function can(action: Action): boolean {
  const r = role();
  return r !== null && allowed[r].includes(action);
}

// Disables a control the role may not use, with the reason as its title.
export function gate<T extends HTMLButtonElement | HTMLSelectElement>(el: T, action: Action, why: string): T {
  if (!can(action)) {
    el.disabled = true;
    el.title = why;
    el.setAttribute('data-role-denied', action);
  }
  return el;
}
