// The frame of every screen: a top bar (back, title, language), the content,
// and the bottom tab bar (Products, Earnings, Team, Me).
import { h, mount } from '../lib/dom';
import { lang, setLang, t } from '../lib/i18n';
import { ICONS, icon } from './ui';

export type Tab = 'products' | 'earnings' | 'team' | 'me';
const TABS: Tab[] = ['products', 'earnings', 'team', 'me'];

// 中文 / EN (English spelled out where there is room).
export function langSwitch(long = false): HTMLElement {
  const opt = (l: 'zh' | 'en', text: string) =>
    h(
      'button',
      {
        type: 'button',
        lang: l === 'zh' ? 'zh-CN' : 'en',
        'aria-pressed': String(lang() === l),
        'data-testid': `lang-${l}`,
        onclick: () => lang() !== l && setLang(l),
      },
      text,
    );
  return h('div', { class: 'p-lang', role: 'group', 'aria-label': t('common.language') }, opt('zh', '中文'), opt('en', long ? 'English' : 'EN'));
}

function tabBar(active: Tab | undefined): HTMLElement {
  return h(
    'nav',
    { class: 'p-tabs', 'aria-label': t('p.tabs') },
    TABS.map((tab) =>
      h(
        'a',
        { href: `#/${tab}`, class: 'p-tab', 'data-testid': `tab-${tab}`, 'aria-current': tab === active ? 'page' : null },
        icon(ICONS[tab]),
        h('span', null, t(`tab.${tab}`)),
      ),
    ),
  );
}

// Moves within this page since it loaded: "back" goes back in history then,
// and to the parent screen when the screen was opened directly.
let moves = 0;
window.addEventListener('hashchange', () => moves++);

function goBack(fallback: string): void {
  if (moves > 0) history.back();
  else location.hash = fallback;
}

// Draws the frame and returns the element the view fills.
export function screen(opts: { title: string; tab?: Tab; back?: string }): HTMLElement {
  const app = document.getElementById('app')!;
  const main = h('main', { id: 'p-main', class: 'p-main' });
  const back = opts.back;
  mount(
    app,
    h(
      'header',
      { class: 'p-top' },
      back
        ? h('button', { type: 'button', class: 'p-back', 'aria-label': t('p.back'), 'data-testid': 'back', onclick: () => goBack(back) }, icon(ICONS.back))
        : h('span', { class: 'p-brand', 'aria-hidden': 'true' }, '推'),
      h('h1', { class: 'p-title' }, opts.title),
      langSwitch(),
    ),
    main,
    opts.tab ? tabBar(opts.tab) : null,
  );
  app.classList.toggle('p-has-tabs', !!opts.tab);
  document.title = `${opts.title} · ${t('p.app')}`;
  window.scrollTo(0, 0);
  return main;
}
