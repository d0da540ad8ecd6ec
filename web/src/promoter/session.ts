// The member's session: the stored credential, the Api that carries it, and
// who the member is (GET /me, fetched once per session).
import { Api, loadCredential, saveCredential, type Credential } from '../lib/api';
import type { LevelName } from '../lib/types';
import type { Me, Member, Session } from './types';

// A stored member session, unless it has expired (then the login form).
function stored(): Credential | null {
  const c = loadCredential('promoter');
  if (!c || c.kind !== 'member' || !c.member) return null;
  if (c.expires && Date.parse(c.expires) <= Date.now()) {
    saveCredential('promoter', null);
    return null;
  }
  return c;
}

export const api = new Api(stored());

let meCache: Promise<Member> | null = null;
let onEnd: () => void = () => {};

api.onUnauthorized = () => {
  // only a session we held can end; a failed login is the login form's business
  if (!api.credential) return;
  forget();
  onEnd();
};

// Called when the session ends on its own (expired, logged out elsewhere).
export function onSessionEnd(f: () => void): void {
  onEnd = f;
}

export function loggedIn(): boolean {
  return api.credential !== null;
}

export function myId(): string {
  return api.credential?.member ?? '';
}

// The active plan's levels from the last /me: their names by locale.
let planLevels: LevelName[] = [];
export function levelsKnown(): LevelName[] {
  return planLevels;
}

export function me(): Promise<Member> {
  if (!meCache) {
    meCache = api.get<Me>('/me').then((m) => {
      if (m.kind !== 'member' || !m.member) throw new Error('not a member session');
      planLevels = m.levels ?? [];
      return m.member;
    });
    meCache.catch(() => (meCache = null));
  }
  return meCache;
}

export function begin(s: Session): void {
  const c = { kind: 'member' as const, token: s.token, member: s.member, expires: s.expires_at ?? undefined };
  saveCredential('promoter', c);
  api.credential = c;
  meCache = null;
}

function forget(): void {
  saveCredential('promoter', null);
  api.credential = null;
  meCache = null;
}

// Logs in with a fresh, credential-less Api, so a wrong password is an error
// for the form rather than "your session ended".
export async function login(member: string, password: string): Promise<void> {
  begin(await new Api().post<Session>('/auth/login', { member, password }));
}

export async function register(body: { invite: string; id: string; name?: string; password: string }): Promise<void> {
  begin(await new Api().post<Session>('/auth/register', body));
}

export async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout');
  } finally {
    forget();
  }
}
