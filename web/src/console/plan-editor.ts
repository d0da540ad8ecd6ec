// The plan editor: the form (or, as "advanced", the JSON), checked as the
// operator types — locally by the server's rules and, debounced, by the
// server's dry run (POST /plan/validate) — each message beside its field and
// the save button off while any stands; saving shows what changes against
// the active version first, and a refusal on save is shown at its field.
import { ApiError } from '../lib/api';
import { errorText, h, mount, toast } from '../lib/dom';
import { bps } from '../lib/format';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { diffPlans, diffView } from './plan-diff';
import { planForm, type PlanForm } from './plan-form';
import { BPS_ONE, checkPlan, type Doc, type Issue, maxPayout } from './plan-rules';
import { forgetPlans } from './plan-cache';
import { can, gate } from './roles';
import { api } from './session';
import type { Plan } from './types';

const DEBOUNCE_MS = 350;

// The plan document as the editor holds it: without version and max_payout_bps.
export function documentOf(p: Plan): Doc {
  const rest: Doc = { ...p };
  delete rest.version;
  delete rest.max_payout_bps;
  return rest;
}

// Where JSON.parse stopped, as line and column of the text.
export function jsonWhere(text: string, err: unknown): { line: number; col: number; pos: number } | null {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : String(err));
  if (!m) return null;
  const pos = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, pos).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1, pos };
}

// The slot a server's field belongs in: its own, a list's (levels[2].upgrade
// for levels[2].upgrade.conditions), else none.
export function slotFor(slots: Map<string, HTMLElement>, field: string): HTMLElement | null {
  for (let f = field; f; f = f.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const s = slots.get(f);
    if (s) return s;
    if (f.replace(/(\.[^.[\]]+|\[\d+\])$/, '') === f) break;
  }
  return null;
}

// The save dialog: the changes against the active version, confirm or cancel.
function confirmSave(changes: HTMLElement, next: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      dlg.close();
      dlg.remove();
      resolve(ok);
    };
    const dlg = h(
      'dialog',
      { class: 'plan-confirm', 'data-testid': 'plan-confirm', 'aria-labelledby': 'plan-confirm-title' },
      h('h2', { id: 'plan-confirm-title' }, t('plans.confirmSave', { version: next })),
      h('p', { class: 'muted' }, t('pe.confirmHint')),
      changes,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'data-testid': 'plan-confirm-save', onclick: () => done(true) }, t('pe.confirm')),
        h('button', { type: 'button', 'data-testid': 'plan-confirm-cancel', onclick: () => done(false) }, t('pe.cancel')),
      ),
    );
    dlg.addEventListener('cancel', (e) => {
      e.preventDefault(); // Escape: closed and removed like Cancel
      done(false);
    });
    document.body.appendChild(dlg);
    dlg.showModal();
  });
}

interface View {
  box: HTMLElement; // holds the form or the JSON
  textarea: HTMLTextAreaElement;
  general: HTMLElement; // issues without a field of their own, the refusal
  budget: HTMLElement;
  save: HTMLButtonElement;
  tabs: [HTMLButtonElement, HTMLButtonElement];
}

function makeView(): View {
  const textarea = h('textarea', { id: 'plan-json', rows: 24, spellcheck: 'false', 'aria-describedby': 'plan-error', 'data-testid': 'plan-json' });
  const tab = (label: string, testid: string) => h('button', { type: 'button', 'data-testid': testid }, label);
  return {
    box: h('div', { class: 'plan-edit-box' }),
    textarea,
    general: h('div', { id: 'plan-error', class: 'form-error plan-error', role: 'alert', 'data-testid': 'plan-error' }),
    budget: h('p', { class: 'plan-budget', 'data-testid': 'plan-budget', 'aria-live': 'polite' }),
    save: gate(h('button', { type: 'submit', class: 'primary', 'data-testid': 'plan-save' }, t('plans.save')), 'plans', t('role.denied')),
    tabs: [tab(t('pe.formTab'), 'plan-mode-form'), tab(t('pe.jsonTab'), 'plan-mode-json')],
  };
}

// Each issue beside its field (the first one scrolled to when asked); the
// rest, and a refusal, in the general box.
function showIssues(v: View, form: PlanForm | null, issues: Issue[], refused: ApiError | null, scroll: boolean): void {
  if (form) {
    for (const s of form.slots.values()) s.replaceChildren();
    for (const i of form.inputs.values()) i.removeAttribute('aria-invalid');
  }
  const loose: Issue[] = [];
  let first: HTMLElement | null = null;
  for (const is of issues) {
    const slot = form ? slotFor(form.slots, is.field) : null;
    if (!slot) {
      loose.push(is);
      continue;
    }
    slot.append(h('span', { 'data-testid': 'field-error' }, is.msg));
    const input = form?.inputs.get(slot.dataset.errorFor ?? '');
    input?.setAttribute('aria-invalid', 'true');
    first ??= input ?? slot;
  }
  v.textarea.toggleAttribute('aria-invalid', !form && issues.length > 0);
  mount(
    v.general,
    refused ? [h('strong', null, t('plans.refused')), ' ', h('span', { 'data-testid': 'plan-error-message' }, errorText(refused)), refused.field ? [' ', h('span', { class: 'badge bad', 'data-testid': 'plan-error-field' }, t('plans.field', { field: refused.field }))] : null] : null,
    loose.length ? h('ul', { class: 'plan-issues' }, loose.map((i) => h('li', { 'data-issue-field': i.field }, i.field === 'json' ? '' : h('code', null, i.field), ' ', i.msg))) : null,
  );
  if (scroll && first) {
    first.scrollIntoView({ block: 'center' });
    first.focus();
  }
}

function budgetLine(v: View, doc: Doc | null): void {
  if (!doc) return void v.budget.replaceChildren();
  const { total } = maxPayout(doc);
  const min = typeof doc.platform_min_bps === 'number' ? doc.platform_min_bps : 0;
  v.budget.textContent = t('pe.budgetLine', { total: bps(total), left: bps(BPS_ONE - min) });
  v.budget.classList.toggle('over', total > BPS_ONE - min);
}

export interface Editor {
  el: HTMLElement[];
  draft: () => Doc;
}

// The editor's state: which view holds the draft, the refusal standing (a
// dry run's or a save's, until the next edit), the dry run in flight.
class EditorState {
  form: PlanForm | null = null;
  refused: ApiError | null = null;
  lastEdited: string | null = null;
  timer = 0;
  seq = 0;
  constructor(
    readonly v: View,
    readonly plan: Plan,
    readonly act: Plan,
  ) {}

  draft = (): Doc => {
    if (this.form) return this.form.read();
    const doc = JSON.parse(this.v.textarea.value) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(t('plans.notObject'));
    return doc as Doc;
  };

  // The local checks at once, the server's dry run after a pause.
  check = (scroll = false, schedule = true): Issue[] => {
    const v = this.v;
    let doc: Doc | null = null;
    let issues: Issue[];
    try {
      doc = this.draft();
      issues = checkPlan(doc, this.lastEdited);
    } catch (err) {
      const at = jsonWhere(v.textarea.value, err);
      const message = err instanceof Error ? err.message : String(err);
      issues = [{ field: 'json', msg: at ? t('pe.jsonWhere', { line: at.line, col: at.col, message }) : t('plans.badJson', { message }) }];
    }
    const refused = this.refused;
    showIssues(v, this.form, refused?.field && !issues.length ? [{ field: refused.field, msg: errorText(refused) }] : issues, refused, scroll);
    budgetLine(v, doc);
    v.save.disabled = !can('plans') || issues.length > 0 || !!refused;
    window.clearTimeout(this.timer);
    const mine = ++this.seq; // an answer to any earlier dry run is dropped
    if (schedule && doc && !issues.length && can('plans')) {
      const d = doc;
      this.timer = window.setTimeout(() => void this.dryRun(d, mine), DEBOUNCE_MS);
    }
    return issues;
  };

  dryRun = async (doc: Doc, mine: number): Promise<void> => {
    let err: ApiError | null = null;
    try {
      await api.post('/plan/validate', doc);
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) err = e;
    }
    if (mine !== this.seq) return; // an edit came since
    this.v.box.setAttribute('data-checked', String(mine));
    if (err?.field !== this.refused?.field || err?.message !== this.refused?.message) {
      this.refused = err;
      this.check(false, false);
    }
  };

  edited = (field: string): void => {
    this.lastEdited = field || this.lastEdited;
    this.refused = null;
    this.v.box.removeAttribute('data-checked');
    this.check();
  };

  show = (doc: Doc, json: boolean): void => {
    const v = this.v;
    if (json) {
      this.form = null;
      v.textarea.value = JSON.stringify(doc, null, 2);
      mount(v.box, h('label', { for: 'plan-json', class: 'block' }, t('plans.document'), v.textarea), h('p', { class: 'muted small' }, t('pe.jsonHint')));
    } else {
      this.form = planForm(doc, this.edited);
      mount(v.box, this.form.el);
    }
    v.tabs[0].setAttribute('aria-pressed', String(!json));
    v.tabs[1].setAttribute('aria-pressed', String(json));
  };

  // Switching keeps the content; JSON that does not parse stays, saying where.
  switchTo = (json: boolean): void => {
    if (json === !this.form) return;
    let doc: Doc;
    try {
      doc = this.draft();
    } catch {
      this.check(true);
      this.v.textarea.focus();
      return;
    }
    this.show(doc, json);
    this.check();
  };

  reset = (): void => {
    this.refused = null;
    this.show(documentOf(this.plan), !this.form);
    this.check();
  };

  submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    // no dry run now: its answer must not undo a refusal of the save
    if (this.check(true, false).length || this.refused) return;
    const doc = this.draft();
    if (!(await confirmSave(diffView(diffPlans(documentOf(this.act), doc), 'plan-confirm-diff'), this.act.version + 1))) return;
    this.v.save.disabled = true;
    try {
      const saved = await api.put<Plan>('/plan', doc);
      forgetPlans();
      toast(t('plans.saved', { version: saved.version }));
      go(`/plans?saved=${saved.version}`);
    } catch (err) {
      this.refused = err instanceof ApiError && err.status !== 0 && err.status < 500 ? err : new ApiError(0, 'network', errorText(err));
      this.check(true, false); // the refusal stands until the next edit
    }
  };
}

export function planEditor(plan: Plan, act: Plan): Editor {
  const v = makeView();
  const st = new EditorState(v, plan, act);
  v.textarea.addEventListener('input', () => st.edited(''));
  v.tabs[0].addEventListener('click', () => st.switchTo(false));
  v.tabs[1].addEventListener('click', () => st.switchTo(true));
  st.show(documentOf(plan), false);
  st.check();
  const hint = plan.version === act.version ? t('pe.editHint', { version: act.version + 1 }) : t('plans.restoreHint', { version: plan.version, next: act.version + 1 });
  return {
    draft: st.draft,
    el: [
      h('p', { class: 'muted', id: 'plan-editor-hint' }, hint),
      h(
        'form',
        { class: 'editor', novalidate: true, onsubmit: (e: Event) => void st.submit(e) },
        h('div', { class: 'row plan-tabs', role: 'group', 'aria-label': t('pe.editAs') }, v.tabs),
        v.box,
        v.budget,
        v.general,
        h('div', { class: 'row' }, v.save, h('button', { type: 'button', 'data-testid': 'plan-reset', onclick: st.reset }, t('plans.reset'))),
      ),
    ],
  };
}
