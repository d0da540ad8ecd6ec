// A member's team as an expandable tree: the direct invitees first; a node's
// own invitees are loaded when it is expanded, a page at a time.
import { enc } from '../lib/api';
import { failure, h, mount } from '../lib/dom';
import { count } from '../lib/format';
import { t } from '../lib/i18n';
import { levelLabel } from './plan-cache';
import { api } from './session';
import type { Member, Plan, TeamPage } from './types';
import { badge, memberLink } from './ui';

const PAGE = 20;

export function teamTree(root: Member, plan: Plan | null): HTMLElement {
  const list = h('ul', { class: 'tree', role: 'list', 'data-testid': 'team-tree', 'aria-label': t('tree.label', { id: root.id }) });
  const summary = h('p', { class: 'muted' }, t('tree.summary', { direct: count(root.direct_count), team: count(root.team_count) }));
  if (root.direct_count === 0) return h('div', null, h('p', { class: 'muted', 'data-testid': 'team-empty' }, t('tree.empty')));
  void loadInto(list, root.id, null, plan, 0);
  return h('div', null, summary, list);
}

// Appends a page of id's invitees to ul (and a "load more" after them).
async function loadInto(ul: HTMLElement, id: string, after: string | null, plan: Plan | null, depth: number): Promise<void> {
  const status = h('li', { class: 'tree-status', role: 'status' }, t('common.loading'));
  ul.append(status);
  ul.setAttribute('aria-busy', 'true');
  try {
    const pageOf = await api.get<TeamPage>(`/members/${enc(id)}/team`, { limit: PAGE, after });
    status.remove();
    ul.append(...pageOf.members.map((m) => node(m, plan, depth)));
    const shownNow = ul.querySelectorAll(':scope > li.node').length;
    if (pageOf.next && shownNow < pageOf.direct_count) {
      const cursor = pageOf.next;
      const more = h(
        'li',
        { class: 'tree-more' },
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'tree-more',
            onclick: () => {
              more.remove();
              void loadInto(ul, id, cursor, plan, depth);
            },
          },
          t('tree.more', { shown: count(shownNow), total: count(pageOf.direct_count) }),
        ),
      );
      ul.append(more);
    }
    if (!pageOf.members.length && !ul.querySelector('li.node')) ul.append(h('li', { class: 'muted' }, t('tree.empty')));
  } catch (e) {
    mount(status, failure(e, () => (status.remove(), void loadInto(ul, id, after, plan, depth))));
    status.removeAttribute('role');
  } finally {
    ul.setAttribute('aria-busy', 'false');
  }
}

function node(m: Member, plan: Plan | null, depth: number): HTMLElement {
  const children = h('ul', { class: 'tree', role: 'list', hidden: true, id: `tree-${depth}-${m.id}` });
  let loaded = false;
  const toggle =
    m.direct_count > 0
      ? h(
          'button',
          {
            type: 'button',
            class: 'toggle',
            'aria-expanded': 'false',
            'aria-controls': children.id,
            'aria-label': t('tree.expand', { id: m.id, n: count(m.direct_count) }),
            'data-testid': 'tree-toggle',
            onclick: () => {
              const open = toggle?.getAttribute('aria-expanded') !== 'true';
              toggle?.setAttribute('aria-expanded', String(open));
              children.hidden = !open;
              if (open && !loaded) {
                loaded = true;
                void loadInto(children, m.id, null, plan, depth + 1);
              }
            },
          },
          h('span', { 'aria-hidden': 'true', class: 'chev' }, '▸'),
        )
      : h('span', { class: 'toggle-space', 'aria-hidden': 'true' });
  return h(
    'li',
    { class: 'node', 'data-member': m.id },
    h(
      'div',
      { class: 'node-row' },
      toggle,
      memberLink(m.id),
      m.name ? h('span', { class: 'node-name' }, m.name) : null,
      h('span', { title: levelLabel(plan, m.level) }, badge(m.level, 'level')),
      h(
        'span',
        { class: 'muted node-counts' },
        t('tree.direct'),
        ' ',
        h('span', { 'data-testid': 'node-direct' }, count(m.direct_count)),
        ' · ',
        t('tree.team'),
        ' ',
        h('span', { 'data-testid': 'node-team' }, count(m.team_count)),
      ),
    ),
    children,
  );
}
