// Posters and QR codes: PNGs the server draws (a product's poster with the
// member's own link, the invitation's QR code and poster), fetched with the
// session and shown in a sheet as a plain <img> to long-press and save or
// forward, with a button saving the file.
import { ApiError, enc, queryString, type Query } from '../lib/api';
import { h, loading, mount, toast } from '../lib/dom';
import { lang, t } from '../lib/i18n';
import { api } from './session';
import type { Product } from './types';
import { errorWords } from './ui';

export interface PosterSpec {
  path: string; // under /api/v1
  query?: Query;
  title: string; // the sheet's heading
  alt: string; // the image's words for screen readers
  filename: string; // what "save" names the file
}

// The image as a Blob; a refusal as the API's own ApiError.
async function fetchImage(spec: PosterSpec): Promise<Blob> {
  const headers: Record<string, string> = { Accept: 'image/png' };
  if (api.credential) headers.Authorization = `Bearer ${api.credential.token}`;
  let res: Response;
  try {
    res = await fetch(`/api/v1${spec.path}${queryString(spec.query)}`, { headers });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    let err: { code?: string; message?: string; field?: string | null } | undefined;
    try {
      err = ((await res.json()) as { error?: typeof err }).error;
    } catch {
      err = undefined;
    }
    if (res.status === 401 && api.onUnauthorized) api.onUnauthorized();
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.field ?? null);
  }
  return res.blob();
}

// Opens the sheet and draws the image into it once it comes.
export function openPoster(spec: PosterSpec): void {
  const body = h('div', { class: 'p-poster-body', 'aria-live': 'polite' }, loading());
  const dlg = h('dialog', { class: 'p-sheet p-poster-sheet', 'aria-label': spec.title, 'data-testid': 'poster-sheet' });
  let url = '';
  const close = () => {
    dlg.close();
    dlg.remove();
    if (url) URL.revokeObjectURL(url);
  };
  dlg.addEventListener('cancel', () => {
    if (url) URL.revokeObjectURL(url);
    dlg.remove();
  });
  dlg.append(
    h('h2', null, spec.title),
    body,
    h('div', { class: 'p-sheet-actions' }, h('button', { type: 'button', 'data-testid': 'poster-close', onclick: close }, t('common.close'))),
  );
  document.body.append(dlg);
  dlg.showModal();
  fetchImage(spec).then(
    (blob) => {
      if (!dlg.isConnected) return;
      url = URL.createObjectURL(blob);
      const img = h('img', { class: 'p-poster-img', src: url, alt: spec.alt, 'data-testid': 'poster-image' });
      const save = h('a', { class: 'button primary p-poster-save', href: url, download: spec.filename, 'data-testid': 'poster-save' }, t('poster.save'));
      mount(body, img, h('p', { class: 'muted p-poster-hint' }, t('poster.hint')), save);
    },
    (e: unknown) => {
      mount(body, h('p', { class: 'p-copied-error', role: 'alert', 'data-testid': 'poster-error' }, errorWords(e)));
      toast(errorWords(e), 'error');
    },
  );
}

export function productPoster(p: Product): PosterSpec {
  return {
    path: `/products/${enc(p.union)}/${enc(p.product)}/poster.png`,
    query: { lang: lang() },
    title: t('poster.title'),
    alt: t('poster.alt', { title: p.title }),
    filename: `poster-${p.union}-${p.product}.png`,
  };
}

export function inviteQr(): PosterSpec {
  return { path: '/me/invite/qr.png', query: { size: 512 }, title: t('poster.inviteQr'), alt: t('poster.altInviteQr'), filename: 'invite-qr.png' };
}

export function invitePoster(): PosterSpec {
  return { path: '/me/invite/poster.png', query: { lang: lang() }, title: t('poster.invitePoster'), alt: t('poster.altInvitePoster'), filename: 'invite-poster.png' };
}

// A product's "poster" button, for its card (and a product page).
export function posterButton(p: Product, describedBy?: string): HTMLElement {
  return h(
    'button',
    { type: 'button', class: 'p-poster-button', 'data-testid': 'poster-button', 'aria-describedby': describedBy, onclick: () => openPoster(productPoster(p)) },
    t('poster.button'),
  );
}
