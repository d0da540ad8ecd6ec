// The console's one API client and its credential: an operator session
// (tko_...) the key is traded for at login.  The key itself is sent once
// and never kept; the session expires (8 hours unless serve says
// otherwise), and a 401 brings the login back.
import { Api, loadCredential, saveCredential } from '../lib/api';
import type { Me } from './types';

export const api = new Api(loadCredential('console'));

export function loggedIn(): boolean {
  return api.credential !== null;
}

interface OperatorSession {
  token: string;
  expires_at: string;
  key: string;
  role: string;
}

// Trades a pasted key for an operator session; keeps only the session.
export async function logIn(key: string): Promise<Me> {
  const probe = new Api({ kind: 'operator', token: key });
  const me = await probe.get<Me>('/me');
  if (me.kind !== 'operator') throw new Error('not-operator');
  const s = await probe.post<OperatorSession>('/auth/operator-session');
  const cred = { kind: 'operator' as const, token: s.token, expires: s.expires_at, role: s.role, key: s.key };
  saveCredential('console', cred);
  api.credential = cred;
  return { ...me, role: s.role, session: true, expires_at: s.expires_at };
}

// Ends the session on the server too (best effort: it expires anyway).
export function logOut(): void {
  const cred = api.credential;
  saveCredential('console', null);
  api.credential = null;
  if (cred) void new Api(cred).post('/auth/logout').catch(() => undefined);
}

// The session is over (expired, revoked, another role): forget it.
export function forgetSession(): void {
  saveCredential('console', null);
  api.credential = null;
}
