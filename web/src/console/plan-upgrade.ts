// A level's upgrade rule in the plan form (docs/growth.md): all or any of a
// list of conditions, each a kind with its threshold (a count, or yuan for
// the sales kinds), its window of days and, for direct_at_level, a level.
/* eslint-disable @typescript-eslint/no-base-to-string -- the draft is untyped JSON as the operator typed it: its values are shown as they are */
import { h } from '../lib/dom';
import { parseYuan } from '../lib/format';
import { t } from '../lib/i18n';
import { fieldBox, intParse, type PlanForm, type Redraw, textInput, textValue } from './plan-form';
import { type Doc, isMoneyKind, KINDS, MAX_CONDITIONS, yuanInput } from './plan-rules';

export interface UpgradeEditor {
  el: HTMLElement;
  read(): Doc | undefined;
}

function condition(form: PlanForm, levels: Doc[], i: number, j: number, c: Doc, redraw: Redraw): { el: HTMLElement; read: () => Doc } {
  const at = `levels[${i}].upgrade.conditions[${j}]`;
  const kind = String(c.kind ?? 'direct_invites');
  const money = isMoneyKind(kind);
  const kindSel = h('select', null, KINDS.map((k) => h('option', { value: k, selected: k === kind }, t(`pe.kind.${k}`))));
  kindSel.addEventListener('change', () => redraw());
  const min = money ? textInput(c.min, yuanInput, { inputmode: 'decimal', class: 'pf-num' }) : textInput(c.min, String, { inputmode: 'numeric', class: 'pf-num' });
  const days = textInput(c.days ?? 30, String, { inputmode: 'numeric', class: 'pf-num' });
  const keys = levels.map((l) => String(l.key ?? ''));
  const level = h('select', null, keys.map((k) => h('option', { value: k, selected: k === c.level }, k)));
  const read = (): Doc => {
    const k = kindSel.value;
    const out: Doc = { kind: k };
    // the text read as the kind chosen wants it (a kind just changed keeps
    // the figure typed: 3 members become 3 yuan)
    if (k !== 'gift_pack') out.min = textValue(min.value, isMoneyKind(k) ? parseYuan : intParse) ?? '';
    if (isMoneyKind(k)) out.days = textValue(days.value, intParse) ?? '';
    if (k === 'direct_at_level') out.level = level.value;
    return out;
  };
  const el = h(
    'li',
    { class: 'pf-grid pf-cond', 'data-testid': 'pf-cond' },
    fieldBox(form, `${at}.kind`, t('pe.condKind'), kindSel),
    kind === 'gift_pack' ? null : fieldBox(form, `${at}.min`, money ? t('pe.minYuan') : t('pe.minCount'), min),
    money ? fieldBox(form, `${at}.days`, t('pe.days'), days) : null,
    kind === 'direct_at_level' ? fieldBox(form, `${at}.level`, t('pe.atLevel'), level) : null,
    h('div', { class: 'field-error', 'data-error-for': at }),
    h('button', { type: 'button', class: 'small', 'data-testid': 'pf-cond-remove', onclick: () => redraw((ls) => void (ls[i].upgrade as Doc & { conditions: Doc[] }).conditions.splice(j, 1)) }, t('pe.removeCond')),
  );
  return { el, read };
}

export function upgradeEditor(form: PlanForm, levels: Doc[], i: number, redraw: Redraw): UpgradeEditor {
  const u = levels[i].upgrade as Doc | undefined;
  const on = h('input', { type: 'checkbox', checked: !!u, 'data-testid': 'pf-upgrade-on' });
  on.addEventListener('change', () =>
    redraw((ls) => {
      if (on.checked) ls[i].upgrade = { match: 'all', conditions: [{ kind: 'direct_invites', min: 1 }] };
      else delete ls[i].upgrade;
    }),
  );
  const onBox = h('label', { class: 'check' }, on, t('pe.upgradeOn'));
  if (!u) return { el: h('div', { class: 'pf-upgrade' }, onBox), read: () => undefined };
  const at = `levels[${i}].upgrade`;
  const match = h('select', null, h('option', { value: 'all', selected: u.match !== 'any' }, t('pe.matchAll')), h('option', { value: 'any', selected: u.match === 'any' }, t('pe.matchAny')));
  const conds = (Array.isArray(u.conditions) ? u.conditions : []) as Doc[];
  const rows = conds.map((c, j) => condition(form, levels, i, j, c, redraw));
  const add = h(
    'button',
    {
      type: 'button',
      class: 'small',
      'data-testid': 'pf-cond-add',
      disabled: conds.length >= MAX_CONDITIONS,
      onclick: () => redraw((ls) => void (ls[i].upgrade as Doc & { conditions: Doc[] }).conditions.push({ kind: 'direct_invites', min: 1 })),
    },
    t('pe.addCond'),
  );
  const read = (): Doc => {
    const out: Doc = { conditions: rows.map((r) => r.read()) };
    if (match.value === 'any') out.match = 'any';
    else if (u.match !== undefined) out.match = 'all';
    return out;
  };
  const el = h(
    'div',
    { class: 'pf-upgrade', 'data-testid': 'pf-upgrade' },
    onBox,
    fieldBox(form, `${at}.match`, t('pe.match'), match),
    h('div', { class: 'field-error', 'data-error-for': `${at}.conditions` }),
    h('ol', { class: 'pf-conds' }, rows.map((r) => r.el)),
    add,
  );
  return { el, read };
}
