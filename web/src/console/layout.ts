// The shell: top navigation, language switch, who is logged in, log out;
// and the main area each section renders into.
import { h, mount } from '../lib/dom';
import { lang, setLang, t, type MessageKey } from '../lib/i18n';
import { current } from '../lib/router';
import { role } from './roles';
import { api, logOut } from './session';
import type { Me } from './types';

const sections: Array<{ path: string; key: MessageKey; testid: string }> = [
  { path: '/', key: 'nav.dashboard', testid: 'nav-dashboard' },
  { path: '/members', key: 'nav.members', testid: 'nav-members' },
  { path: '/orders', key: 'nav.orders', testid: 'nav-orders' },
  { path: '/plans', key: 'nav.plans', testid: 'nav-plans' },
  { path: '/withdrawals', key: 'nav.withdrawals', testid: 'nav-withdrawals' },
  { path: '/products', key: 'nav.products', testid: 'nav-products' },
  { path: '/groups', key: 'nav.groups', testid: 'nav-groups' },
  { path: '/merchants', key: 'nav.merchants', testid: 'nav-merchants' },
  { path: '/campaigns', key: 'nav.campaigns', testid: 'nav-campaigns' },
  { path: '/campaign-orders', key: 'nav.campaignOrders', testid: 'nav-campaign-orders' },
  { path: '/channels', key: 'nav.channels', testid: 'nav-channels' },
  { path: '/matching', key: 'nav.matching', testid: 'nav-matching' },
  { path: '/statements', key: 'nav.statements', testid: 'nav-statements' },
  { path: '/actions', key: 'nav.actions', testid: 'nav-actions' },
];

let main: HTMLElement | null = null;
let nav: HTMLElement | null = null;
let who: HTMLElement | null = null;
let keyName: string | null = null;
let leaving: Array<() => void> = [];

// Something to undo when the view is left (a chart to dispose, a listener).
export function onLeave(f: () => void): void {
  leaving.push(f);
}

export function shellShown(): boolean {
  return main !== null && main.isConnected;
}

export function renderShell(app: HTMLElement, onLogout: () => void): void {
  nav = h('nav', { class: 'nav', 'aria-label': t('nav.label') });
  keyName = keyName ?? api.credential?.key ?? null;
  const r = role();
  who = h(
    'span',
    { class: 'who muted', 'data-testid': 'who', 'data-role': r ?? '' },
    keyName ? t('nav.key', { name: keyName }) : '',
    r ? h('span', { class: 'badge', 'data-testid': 'who-role' }, t(`role.${r}`)) : null,
  );
  const langSwitch = h(
    'div',
    { class: 'lang', role: 'group', 'aria-label': t('common.language') },
    (['zh', 'en'] as const).map((l) =>
      h('button', { type: 'button', class: 'link-button', 'aria-pressed': String(lang() === l), 'data-testid': `lang-${l}`, onclick: () => setLang(l) }, l === 'zh' ? '中文' : 'English'),
    ),
  );
  main = h('main', { id: 'main', class: 'main', tabindex: -1 });
  mount(
    app,
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => (e.preventDefault(), main?.focus()) }, t('nav.skip')),
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, 'tuike', h('span', { class: 'muted' }, t('app.console'))),
      nav,
      h('div', { class: 'top-tools' }, langSwitch, who, h('button', { type: 'button', 'data-testid': 'logout', onclick: () => (logOut(), onLogout()) }, t('common.logout'))),
    ),
    main,
  );
  markNav();
  if (!keyName)
    api
      .get<Me>('/me')
      .then((me) => {
        keyName = me.key ?? null;
        if (who && keyName) who.firstChild?.replaceWith(document.createTextNode(t('nav.key', { name: keyName })));
      })
      .catch(() => {
        /* the views show errors; the name is a nicety */
      });
}

export function forgetKeyName(): void {
  keyName = null;
}

function markNav(): void {
  if (!nav) return;
  const path = current().path;
  const active = sections.filter((s) => (s.path === '/' ? path === '/' : path === s.path || path.startsWith(s.path + '/'))).pop();
  mount(
    nav,
    sections.map((s) => h('a', { href: `#${s.path}`, 'data-testid': s.testid, 'aria-current': s === active ? 'page' : null }, t(s.key))),
  );
}

// A fresh main area for a view: the previous view's charts are let go.
export function page(title: string): HTMLElement {
  for (const f of leaving) {
    try {
      f();
    } catch {
      /* a disposer that fails must not stop the next view */
    }
  }
  leaving = [];
  markNav();
  document.title = `${title} · tuike`;
  if (!main) throw new Error('shell not rendered');
  main.replaceChildren();
  main.scrollTop = 0;
  window.scrollTo(0, 0);
  return main;
}
