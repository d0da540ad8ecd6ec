// The only way the pages touch data: tuike's JSON API under /api/v1.
// Errors come back as ApiError with the server's code, message and field,
// the message key and its params (lib/errors.ts says them in the reader's
// language), and, when a union refused or could not be reached, its name and code.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field: string | null = null,
    public union: string | null = null,
    public unionCode: string | null = null,
    public key: string | null = null,
    public params: ErrorParams = {},
  ) {
    super(message);
  }
}

// An error's named values: money in integer fen (names ending in _fen),
// counts as integers, strings; `field` is the field at fault.
export type ErrorParams = Record<string, string | number>;

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface Credential {
  kind: 'operator' | 'member';
  token: string;
  member?: string; // the member a session belongs to
  expires?: string;
  role?: string; // an operator session's role
  key?: string; // the name of the key an operator session was opened with
}

const STORE = 'tuike.credential';

export function loadCredential(scope: 'console' | 'promoter'): Credential | null {
  try {
    const raw = localStorage.getItem(`${STORE}.${scope}`);
    const c = raw ? (JSON.parse(raw) as Credential) : null;
    // the console kept the key itself before operator sessions: forget it
    if (c && scope === 'console' && !c.token.startsWith('tko_')) {
      localStorage.removeItem(`${STORE}.${scope}`);
      return null;
    }
    return c;
  } catch {
    return null;
  }
}

export function saveCredential(scope: 'console' | 'promoter', c: Credential | null): void {
  if (c) localStorage.setItem(`${STORE}.${scope}`, JSON.stringify(c));
  else localStorage.removeItem(`${STORE}.${scope}`);
}

export function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  raw?: string; // a body sent as it is (order import)
  idempotencyKey?: string;
  accept?: string;
  reason?: string; // why, for the action log (X-Reason, percent-encoded)
}

export class Api {
  // Called when the server says the credential is no longer good (401).
  onUnauthorized: (() => void) | null = null;

  constructor(public credential: Credential | null = null) {}

  async request<T>(method: string, path: string, opt: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: opt.accept ?? 'application/json' };
    if (this.credential) headers.Authorization = `Bearer ${this.credential.token}`;
    if (opt.idempotencyKey) headers['Idempotency-Key'] = opt.idempotencyKey;
    if (opt.reason) headers['X-Reason'] = encodeURIComponent(opt.reason);
    let body: string | undefined;
    if (opt.raw !== undefined) {
      body = opt.raw;
      headers['Content-Type'] = 'text/plain';
    } else if (opt.body !== undefined) {
      body = JSON.stringify(opt.body);
      headers['Content-Type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(`/api/v1${path}${queryString(opt.query)}`, { method, headers, body });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    const text = await res.text();
    let doc: unknown = null;
    if (text) {
      try {
        doc = JSON.parse(text);
      } catch {
        doc = null;
      }
    }
    if (!res.ok) {
      if (res.status === 401 && this.onUnauthorized) this.onUnauthorized();
      throw apiError(res.status, res.statusText, doc);
    }
    return doc as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {}, idempotencyKey });
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  del<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

// The ApiError of a failed answer's body (the server's error object, or
// anything else: then only the status is known).
export function apiError(status: number, statusText: string, doc: unknown): ApiError {
  type Wire = { code?: string; message?: string; field?: string | null; union?: string; union_code?: string | null; key?: string; params?: unknown };
  const err = (doc as { error?: Wire } | null)?.error;
  const params: ErrorParams = {};
  if (err?.params && typeof err.params === 'object')
    for (const [k, v] of Object.entries(err.params as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  return new ApiError(status, err?.code ?? 'http_' + status, err?.message ?? statusText, err?.field ?? null, err?.union ?? null, err?.union_code ?? null, err?.key ?? null, params);
}

// A fresh key for one user action, so that a retried click never acts twice.
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export const enc = encodeURIComponent;
