// Posters and QR codes: PNGs the server draws (a product's poster with the
// member's own link, the invitation's QR code and poster), shown in a sheet
// as a plain <img> at a signed address to long-press and save or forward,
// with a button saving the file.
import { enc, type Query } from '../lib/api';
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

interface ImageUrl {
  url: string;
  expires_at: string;
}

// Opens the sheet and shows the image in it by its signed address (from
// GET /me/image-url): a real image address, which WeChat's browser lets a
// member long-press to save or forward, loaded without the session header.
export function openPoster(spec: PosterSpec): void {
  const body = h('div', { class: 'p-poster-body', 'aria-live': 'polite' }, loading());
  const dlg = h('dialog', { class: 'p-sheet p-poster-sheet', 'aria-label': spec.title, 'data-testid': 'poster-sheet' });
  const close = () => {
    dlg.close();
    dlg.remove();
  };
  dlg.addEventListener('cancel', () => dlg.remove());
  dlg.append(
    h('h2', null, spec.title),
    body,
    h('div', { class: 'p-sheet-actions' }, h('button', { type: 'button', 'data-testid': 'poster-close', onclick: close }, t('common.close'))),
  );
  document.body.append(dlg);
  dlg.showModal();
  const failed = (words: string) => {
    mount(body, h('p', { class: 'p-copied-error', role: 'alert', 'data-testid': 'poster-error' }, words));
    toast(words, 'error');
  };
  api.get<ImageUrl>('/me/image-url', { path: `/api/v1${spec.path}`, ...spec.query }).then(
    (r) => {
      if (!dlg.isConnected) return;
      const img = h('img', { class: 'p-poster-img', src: r.url, alt: spec.alt, 'data-testid': 'poster-image' });
      img.addEventListener('error', () => failed(t('poster.failed')), { once: true });
      const save = h('a', { class: 'button primary p-poster-save', href: r.url, download: spec.filename, 'data-testid': 'poster-save' }, t('poster.save'));
      mount(body, img, h('p', { class: 'muted p-poster-hint' }, t('poster.hint')), save);
    },
    (e: unknown) => failed(errorWords(e)),
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
