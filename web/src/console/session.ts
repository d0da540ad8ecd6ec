// The console's one API client and its operator credential.
import { Api, loadCredential, saveCredential } from '../lib/api';
import type { Me } from './types';

export const api = new Api(loadCredential('console'));

export function loggedIn(): boolean {
  return api.credential !== null;
}

// Checks a pasted key with GET /me; keeps it when it is an operator key.
export async function logIn(token: string): Promise<Me> {
  const probe = new Api({ kind: 'operator', token });
  const me = await probe.get<Me>('/me');
  if (me.kind !== 'operator') throw new Error('not-operator');
  const cred = { kind: 'operator' as const, token };
  saveCredential('console', cred);
  api.credential = cred;
  return me;
}

export function logOut(): void {
  saveCredential('console', null);
  api.credential = null;
}
