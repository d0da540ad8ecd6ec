// Me: who I am, my inviter, my invite code and link (with copy buttons,
// and the invitation's QR code and poster to save), my earnings at a
// glance and my way to the next level, my union ids (and binding Taobao),
// the language, and logging out.
import { copyText, h, toast } from '../lib/dom';
import { count } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { langSwitch, screen } from './layout';
import { invitePoster, inviteQr, openPoster } from './poster';
import { logout, me } from './session';
import { joinedLine, profileCard } from './team';
import type { Member } from './types';
import { ICONS, errorWords, icon, section, show } from './ui';
import './groups-messages';
import { unionsSection } from './unions';
import { levelSection, summarySection } from './progress';

export function inviteLink(code: string): string {
  return `${location.origin}/m/#/join/${encodeURIComponent(code)}`;
}

export function meView(): void {
  const main = screen({ title: t('tab.me'), tab: 'me' });
  const box = h('div');
  main.append(
    box,
    summarySection(),
    levelSection(),
    h('a', { class: 'p-card p-link-row', href: '#/groups', 'data-testid': 'me-groups' }, t('mg.link')),
    unionsSection(),
    section(
      t('me.settings'),
      h('div', { class: 'p-card p-settings' }, h('div', { class: 'p-setting' }, h('span', null, t('common.language')), langSwitch(true)), logoutButton()),
    ),
  );
  void show(box, () => me(), (m) => [profile(m), invite(m)]);
}

function profile(m: Member): HTMLElement {
  return profileCard(m, 'me', [
    h('div', { class: 'muted', 'data-testid': 'me-inviter' }, m.parent ? t('me.inviter', { id: m.parent }) : t('me.noInviter')),
    joinedLine(m),
    h('div', { class: 'muted' }, t('team.counts', { direct: count(m.direct_count), team: count(m.team_count) })),
  ]);
}

function copyRow(label: string, value: string, testid: string, copyLabel: string): HTMLElement {
  return h(
    'div',
    { class: 'p-copyrow' },
    h('div', { class: 'p-copyrow-text' }, h('div', { class: 'p-tile-label' }, label), h('div', { class: 'p-copyrow-value', 'data-testid': testid }, value)),
    h(
      'button',
      {
        type: 'button',
        class: 'p-icon-button',
        'aria-label': copyLabel,
        'data-testid': `${testid}-copy`,
        onclick: async () => ((await copyText(value)) ? toast(t('common.copied')) : toast(t('products.copyManually'), 'error')),
      },
      icon(ICONS.copy),
    ),
  );
}

function invite(m: Member): HTMLElement {
  return section(
    t('me.invite'),
    h(
      'div',
      { class: 'p-card' },
      h('p', { class: 'muted p-invite-note' }, t('me.inviteNote')),
      copyRow(t('me.code'), m.invite_code, 'invite-code', t('me.copyCode')),
      copyRow(t('me.link'), inviteLink(m.invite_code), 'invite-link', t('me.copyLink')),
      h(
        'div',
        { class: 'p-card-actions p-invite-images' },
        h('button', { type: 'button', 'data-testid': 'invite-qr', onclick: () => openPoster(inviteQr()) }, t('poster.inviteQr')),
        h('button', { type: 'button', 'data-testid': 'invite-poster', onclick: () => openPoster(invitePoster()) }, t('poster.invitePoster')),
      ),
    ),
  );
}

function logoutButton(): HTMLElement {
  const btn = h('button', { type: 'button', class: 'danger p-block', 'data-testid': 'logout' }, t('common.logout'));
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await logout();
    } catch (e) {
      // the session is forgotten here even when the server did not answer
      toast(errorWords(e), 'error');
    }
    go('/products');
  });
  return btn;
}
