// The plan as a form: general settings, the levels (add, remove, reorder)
// and each level's upgrade rule. read() gives the plan document back; a text
// that does not parse (a rate "12.345", an amount "abc") is kept as the
// string typed, so that the checks name it and the form redraws it as typed.
// Fields the form does not show (gift packs, per-locale level names) ride
// along untouched.
/* eslint-disable @typescript-eslint/no-base-to-string -- the draft is untyped JSON as the operator typed it: its values are shown as they are */
import { h, mount } from '../lib/dom';
import { parseYuan } from '../lib/format';
import { lang, t, tOr } from '../lib/i18n';
import { upgradeEditor } from './plan-upgrade';
import { type Doc, MAX_LEVELS, parsePercent, percentInput, yuanInput } from './plan-rules';

export interface PlanForm {
  el: HTMLElement;
  read(): Doc;
  // the error slot and the input of each field, by the server's field name
  slots: Map<string, HTMLElement>;
  inputs: Map<string, HTMLElement>;
}

type Reader = (doc: Doc) => void;

// One labelled input with its error slot; `field` is the server's name for it.
export function fieldBox(form: PlanForm, field: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = `pf-${field.replace(/[^a-z0-9]+/gi, '-')}`;
  const err = h('div', { class: 'field-error', id: `${id}-err`, 'data-error-for': field, 'aria-live': 'polite' });
  input.id = id;
  input.setAttribute('data-field', field);
  input.setAttribute('aria-describedby', `${id}-err`);
  form.slots.set(field, err);
  form.inputs.set(field, input);
  return h('div', { class: 'pf-field', 'data-field-box': field }, h('label', { for: id }, label, input), hint ? h('span', { class: 'muted small' }, hint) : null, err);
}

// Text that parses to an integer, or the text itself (for the checks).
export function textValue(s: string, parse: (s: string) => number | null): number | string | undefined {
  if (!s.trim()) return undefined;
  const v = parse(s);
  return v === null ? s : v;
}

const shown = (v: unknown, fmt: (n: number) => string): string => (typeof v === 'number' ? fmt(v) : typeof v === 'string' ? v : '');
export const intParse = (s: string): number | null => (/^\s*\d{1,15}\s*$/.test(s) ? Number(s) : null);

export function textInput(value: unknown, fmt: (n: number) => string, extra: Record<string, string> = {}): HTMLInputElement {
  const i = h('input', { type: 'text', autocomplete: 'off', ...extra });
  i.value = shown(value, fmt);
  return i;
}

const percent = (v: unknown) => textInput(v, percentInput, { inputmode: 'decimal', class: 'pf-num' });
const money = (v: unknown) => textInput(v, yuanInput, { inputmode: 'decimal', class: 'pf-num' });

function select(options: Array<[string, string]>, value: unknown): HTMLSelectElement {
  return h('select', null, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

// Kept in the DOM (and in the document) while the mode does not use it.
function hide(el: HTMLElement, hidden: boolean): HTMLElement {
  el.hidden = hidden;
  return el;
}

function set(doc: Doc, key: string, v: unknown): void {
  if (v === undefined) delete doc[key];
  else doc[key] = v;
}

function general(form: PlanForm, doc: Doc, readers: Reader[], redraw: () => void): HTMLElement {
  const name = textInput(doc.name, String, { maxlength: '63' });
  const mode = select([['differential', t('mode.differential')], ['fixed', t('mode.fixed')]], doc.mode);
  const tiers = select(['1', '2', '3'].map((n) => [n, n]), String(doc.max_tiers ?? 3));
  const platform = percent(doc.platform_min_bps);
  const peer = percent(doc.peer_bonus_bps);
  const tierList = Array.isArray(doc.tiers_bps) ? (doc.tiers_bps as unknown[]) : [];
  const tier2 = percent(tierList[0]);
  const tier3 = percent(tierList[1]);
  const hold = textInput(doc.hold_days, String, { inputmode: 'numeric', class: 'pf-num' });
  const keys = Array.isArray(doc.levels) ? (doc.levels as Doc[]).map((l) => String(l.key ?? '')) : [];
  const def = select(keys.map((k) => [k, k]), doc.default_level ?? keys[0]);
  const wmin = money(doc.withdraw_min);
  const fee = percent(doc.withdraw_fee_bps);
  const down = select([['never', t('pe.downNever')], ['monthly', t('pe.downMonthly')]], doc.downgrade ?? 'never');
  const granted = h('input', { type: 'checkbox', checked: doc.review_granted === true });
  mode.addEventListener('change', redraw);
  tiers.addEventListener('change', redraw);
  readers.push((d) => {
    d.name = name.value;
    d.mode = mode.value;
    d.max_tiers = Number(tiers.value);
    set(d, 'platform_min_bps', textValue(platform.value, parsePercent));
    set(d, 'peer_bonus_bps', textValue(peer.value, parsePercent));
    const list = [textValue(tier2.value, parsePercent), textValue(tier3.value, parsePercent)];
    while (list.length && list[list.length - 1] === undefined) list.pop();
    d.tiers_bps = list.map((v) => v ?? '');
    set(d, 'hold_days', textValue(hold.value, intParse));
    set(d, 'default_level', def.value || undefined);
    set(d, 'withdraw_min', textValue(wmin.value, parseYuan));
    set(d, 'withdraw_fee_bps', textValue(fee.value, parsePercent));
    set(d, 'downgrade', down.value === 'monthly' ? 'monthly' : undefined);
    set(d, 'review_granted', granted.checked ? true : undefined);
  });
  const fixed = doc.mode === 'fixed';
  const maxTiers = Number(doc.max_tiers ?? 3);
  return h(
    'fieldset',
    { class: 'pf-grid', 'data-testid': 'pf-general' },
    h('legend', null, t('pe.general')),
    fieldBox(form, 'name', t('plan.name'), name),
    fieldBox(form, 'mode', t('plan.mode'), mode, tOr(`mode.${String(doc.mode)}.hint`, '')),
    fieldBox(form, 'max_tiers', t('plan.maxTiers'), tiers),
    fieldBox(form, 'platform_min_bps', t('pe.percentOf', { what: t('plan.platformMin') }), platform),
    hide(fieldBox(form, 'peer_bonus_bps', t('pe.percentOf', { what: t('plan.peerBonus') }), peer, maxTiers < 2 ? t('pe.peerUnused') : undefined), fixed),
    hide(fieldBox(form, 'tiers_bps[0]', t('pe.tierRate', { n: 2 }), tier2), !fixed || maxTiers < 2),
    hide(fieldBox(form, 'tiers_bps[1]', t('pe.tierRate', { n: 3 }), tier3), !fixed || maxTiers < 3),
    h('div', { class: 'field-error pf-wide', 'data-error-for': 'tiers_bps' }),
    fieldBox(form, 'hold_days', t('pe.holdDays'), hold),
    fieldBox(form, 'default_level', t('plan.defaultLevel'), def),
    fieldBox(form, 'withdraw_min', t('pe.yuanOf', { what: t('plan.withdrawMin') }), wmin),
    fieldBox(form, 'withdraw_fee_bps', t('pe.percentOf', { what: t('plan.withdrawFee') }), fee),
    fieldBox(form, 'downgrade', t('pe.downgrade'), down),
    fieldBox(form, 'review_granted', t('pe.reviewGrantedLabel'), granted),
  );
}

// The per-locale names another part of the plan may carry, shown as they are.
function localeNames(l: Doc): HTMLElement | null {
  const names = l.names as Record<string, string> | undefined;
  if (!names || typeof names !== 'object') return null;
  const mine = lang() === 'zh' ? 'zh-CN' : 'en';
  const list = Object.entries(names).sort(([a], [b]) => (a === mine ? -1 : b === mine ? 1 : 0));
  return h('p', { class: 'muted small', 'data-testid': 'pf-level-names' }, list.map(([k, v]) => `${k}: ${v}`).join(' · '));
}

export type Redraw = (change?: (levels: Doc[]) => void) => void;

function levelRow(form: PlanForm & { levelReaders: Array<() => Doc> }, levels: Doc[], i: number, redraw: Redraw): HTMLElement {
  const l = levels[i];
  const at = `levels[${i}]`;
  const key = textInput(l.key, String, { maxlength: '31', class: 'pf-key', spellcheck: 'false' });
  const name = textInput(l.name, String, { maxlength: '63' });
  const rate = percent(l.rate_bps);
  const share = h('input', { type: 'checkbox', checked: l.can_share !== false });
  key.addEventListener('change', () => redraw()); // the default level's choices and the rules' levels follow the keys
  const upgrade = upgradeEditor(form, levels, i, redraw);
  const read = (): Doc => {
    const out: Doc = { ...l, key: key.value.trim(), rate_bps: textValue(rate.value, parsePercent) ?? '', can_share: share.checked };
    set(out, 'name', name.value || undefined);
    set(out, 'upgrade', upgrade.read());
    return out;
  };
  form.levelReaders.push(read);
  const move = (to: number) =>
    redraw((ls) => {
      const [x] = ls.splice(i, 1);
      ls.splice(to, 0, x);
    });
  const tool = (label: string, testid: string, disabled: boolean, run: () => void) =>
    h('button', { type: 'button', class: 'small', 'data-testid': testid, disabled, 'aria-label': `${label} ${String(l.key ?? i + 1)}`, onclick: run }, label);
  return h(
    'fieldset',
    { class: 'pf-level', 'data-level-index': i, 'data-testid': 'pf-level' },
    h('legend', null, t('pe.levelN', { n: i + 1 }), ' ', h('code', null, String(l.key ?? ''))),
    h(
      'div',
      { class: 'pf-grid' },
      fieldBox(form, `${at}.key`, t('plan.levelKey'), key),
      fieldBox(form, `${at}.name`, t('plan.levelName'), name),
      fieldBox(form, `${at}.rate_bps`, t('pe.ratePercent'), rate),
      fieldBox(form, `${at}.can_share`, t('plan.canShare'), share),
    ),
    localeNames(l),
    upgrade.el,
    h(
      'div',
      { class: 'row pf-tools' },
      tool(t('pe.up'), 'pf-level-up', i === 0, () => move(i - 1)),
      tool(t('pe.down'), 'pf-level-down', i === levels.length - 1, () => move(i + 1)),
      tool(t('pe.remove'), 'pf-level-remove', levels.length <= 1, () => redraw((ls) => void ls.splice(i, 1))),
    ),
  );
}

// The form for `doc`; onEdit(field) on every change, with the field's name.
export function planForm(start: Doc, onEdit: (field: string) => void): PlanForm {
  const el = h('div', { class: 'plan-form', 'data-testid': 'plan-form' });
  const form = { el, slots: new Map<string, HTMLElement>(), inputs: new Map<string, HTMLElement>(), levelReaders: [] as Array<() => Doc>, read: (): Doc => ({}) };
  let base: Doc = structuredClone(start);
  let readers: Reader[] = [];
  form.read = () => {
    const d: Doc = { ...base };
    for (const r of readers) r(d);
    d.levels = form.levelReaders.map((r) => r());
    return d;
  };
  // Redraws from what is typed, after `change` reshapes the levels.
  const redraw: Redraw = (change) => {
    const focused = (document.activeElement as HTMLElement | null)?.getAttribute('data-field');
    const now = form.read();
    change?.(now.levels as Doc[]);
    base = now;
    draw();
    onEdit(focused ?? 'levels');
    if (focused) form.inputs.get(focused)?.focus();
  };
  const draw = () => {
    form.slots.clear();
    form.inputs.clear();
    form.levelReaders = [];
    readers = [];
    const levels = (Array.isArray(base.levels) ? base.levels : []) as Doc[];
    base.levels = levels;
    const add = h('button', { type: 'button', 'data-testid': 'pf-level-add', disabled: levels.length >= MAX_LEVELS, onclick: () => redraw((ls) => void ls.push({ key: `level${ls.length + 1}`, rate_bps: 0, can_share: true })) }, t('pe.addLevel'));
    mount(
      el,
      general(form, base, readers, () => redraw()),
      h('h3', { class: 'sub' }, t('plan.levels')),
      h('p', { class: 'muted small' }, t('pe.levelsHint')),
      h('div', { class: 'field-error', 'data-error-for': 'levels' }),
      levels.map((_, i) => levelRow(form, levels, i, redraw)),
      add,
    );
    // the slots of whole lists (levels, tiers_bps, a rule's conditions)
    for (const s of el.querySelectorAll<HTMLElement>('[data-error-for]')) if (!form.slots.has(s.dataset.errorFor ?? '')) form.slots.set(s.dataset.errorFor ?? '', s);
  };
  el.addEventListener('input', (e) => onEdit((e.target as HTMLElement).getAttribute('data-field') ?? ''));
  el.addEventListener('change', (e) => onEdit((e.target as HTMLElement).getAttribute('data-field') ?? ''));
  draw();
  return form;
}
