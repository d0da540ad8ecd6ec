// Files the server makes for the operator (the payout file): fetched with
// the console's credential and saved under the server's own file name.  The
// console never builds a payout file itself: the server's holds only what
// may be paid, with members' text guarded against spreadsheet formulas.
import { ApiError, apiError, queryString, type Query } from '../lib/api';
import { api } from './session';

// The file name of a Content-Disposition: attachment; filename="...".
function fileName(disposition: string | null, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m ? m[1] : fallback;
}

// GETs /api/v1{path} and saves the answer as a file; its name is returned.
// `bom` puts a UTF-8 byte-order mark first, for a UTF-8 file a spreadsheet
// should read as such (Excel takes a CSV without one for the local code page).
export async function downloadFile(path: string, query: Query, fallback: string, bom = false): Promise<string> {
  const headers: Record<string, string> = { Accept: 'text/csv' };
  if (api.credential) headers.Authorization = `Bearer ${api.credential.token}`;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, { headers });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const doc: unknown = await res.json().catch(() => null);
    if (res.status === 401 && api.onUnauthorized) api.onUnauthorized();
    throw apiError(res.status, res.statusText, doc);
  }
  const name = fileName(res.headers.get('Content-Disposition'), fallback);
  const body = await res.blob(); // the bytes as sent: GBK stays GBK
  const url = URL.createObjectURL(bom ? new Blob(['\uFEFF', body], { type: body.type }) : body);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
