// The withdrawals queue: by status, member and request day (Beijing), page by
// page; each row with the member's name, its available balance now and its
// recent withdrawals and ledger a click away.  Select several, approve /
// reject (with a reason the member is shown) / mark paid in bulk, each
// confirmed in a dialog (each call with its own Idempotency-Key, a result per row),
// and the server's payout file of the approved withdrawals for the payment
// channel (GET /payout.csv: plain, Alipay's or a bank's template).  A withdrawal whose member owes
// money after a clawback says so on its row: the server refuses to approve
// or pay it (409 member_in_debt) until the debt is covered.
import { ApiError, enc, newIdempotencyKey } from '../lib/api';
import { empty, errorText, failure, h, mount, toast } from '../lib/dom';
import { count, date, dateTime, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { downloadFile } from './csv';
import { page } from './layout';
import { can } from './roles';
import { api } from './session';
import type { LedgerPage, Withdrawal, WithdrawalPage } from './types';
import { badge, confirmDialog, heading, memberLink, money, reasonDialog, row, showMore, table } from './ui';

const STATUSES = ['requested', 'approved', 'paid', 'rejected', 'all'] as const;
type Action = 'approve' | 'reject' | 'paid';

// Which statuses each decision applies to (docs/ledger.md).
const allowed: Record<Action, string[]> = {
  approve: ['requested'],
  reject: ['requested', 'approved'],
  paid: ['approved'],
};

const PAGE = 50;
const PARALLEL = 4;
const COLS = 14; // the table's columns: a detail row spans them all

// The key of a decision not yet answered for sure, kept so that retrying it
// can never act twice.
const keys = new Map<string, string>();

// Whether a decision can go to the server for this withdrawal now.
const canTake = (a: Action, w: Withdrawal) => allowed[a].includes(w.status) && (a === 'reject' || !w.blocked);

// Why a withdrawal is held, on its row (nothing when it is not).
function blockedNote(w: Withdrawal): HTMLElement | null {
  if (!w.blocked) return null;
  return h('div', { class: 'wd-blocked neg', 'data-testid': 'wd-blocked' }, t('wd.blocked', { owes: yuan(-w.available), available: yuan(w.available) }));
}

// Why a withdrawal was rejected, on its row.
function reasonNote(w: Withdrawal): HTMLElement | null {
  if (w.status !== 'rejected' || !w.reason) return null;
  return h('div', { class: 'wd-reason muted small', 'data-testid': 'wd-reason' }, t('wd.reasonShown', { reason: w.reason }));
}

// Where the money goes: the payee's name and, for a bank card, the bank.
function accountCell(w: Withdrawal): HTMLElement {
  const bank = [w.bank, w.branch].filter(Boolean).join(' ');
  return h(
    'span',
    { class: 'account' },
    w.account || '—',
    w.payee ? h('div', { class: 'muted small' }, w.payee) : null,
    bank ? h('div', { class: 'muted small', 'data-testid': 'wd-bank' }, bank) : null,
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// The member's recent withdrawals and ledger, under its row.
function recent(member: string): HTMLElement {
  const box = h('div', { class: 'wd-recent', 'data-testid': 'wd-recent' }, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  const load = () =>
    Promise.all([
      api.get<WithdrawalPage>('/withdrawals', { member, limit: 5 }),
      api.get<LedgerPage>(`/members/${enc(member)}/ledger`, { limit: 8 }),
    ]).then(
      ([ws, l]) =>
        mount(
          box,
          h(
            'div',
            { class: 'cols' },
            h(
              'div',
              null,
              h('h3', { class: 'sub' }, t('wd.recentWithdrawals')),
              ws.withdrawals.length
                ? h(
                    'ul',
                    { class: 'plain-list', 'data-testid': 'wd-recent-withdrawals' },
                    ws.withdrawals.map((x) =>
                      h('li', { 'data-id': String(x.id) }, `#${x.id} `, date(x.requested_at), ' ', yuan(x.amount), ' ', badge(x.status), x.reason ? h('span', { class: 'muted small' }, ` ${x.reason}`) : null),
                    ),
                  )
                : empty(t('wd.empty')),
            ),
            h(
              'div',
              null,
              h('h3', { class: 'sub' }, t('wd.recentLedger')),
              l.entries.length
                ? h(
                    'ul',
                    { class: 'plain-list', 'data-testid': 'wd-recent-ledger' },
                    l.entries.map((e) => h('li', null, date(e.at), ' ', badge(e.type, 'ledger'), ' ', h('span', { class: e.change < 0 ? 'neg' : e.change > 0 ? 'pos' : '' }, yuan(e.change, { sign: true })))),
                  )
                : empty(),
              h('a', { href: `#/members/${enc(member)}` }, t('wd.memberPage')),
            ),
          ),
        ),
      (e) => mount(box, failure(e, () => void load())),
    );
  void load();
  return box;
}

export function withdrawalsPage(_p: Record<string, string>, q: URLSearchParams): void {
  const idParam = q.get('id');
  const member = (q.get('member') ?? '').trim();
  const from = DAY.test(q.get('from') ?? '') ? (q.get('from') as string) : '';
  const to = DAY.test(q.get('to') ?? '') ? (q.get('to') as string) : '';
  const status = (STATUSES as readonly string[]).includes(q.get('status') ?? '') ? (q.get('status') as string) : 'requested';
  const main = page(t('nav.withdrawals'));

  type Row = { w: Withdrawal; tr: HTMLTableRowElement; box: HTMLInputElement; result: HTMLElement; statusCell: HTMLElement; decided: HTMLElement; paid: HTMLElement; available: HTMLElement };
  const rows = new Map<number, Row>();
  const tbody = h('tbody');
  const more = h('div', { class: 'more' });
  const listBox = h('div', { 'data-testid': 'wd-list' });
  const selInfo = h('span', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'wd-selected' });
  const all = h('input', { type: 'checkbox', id: 'wd-all', 'aria-label': t('wd.selectAll'), 'data-testid': 'wd-all' });
  const buttons: Record<Action, HTMLButtonElement> = {
    approve: h('button', { type: 'button', class: 'primary', 'data-testid': 'wd-approve' }, t('wd.approve')),
    reject: h('button', { type: 'button', class: 'danger', 'data-testid': 'wd-reject' }, t('wd.reject')),
    paid: h('button', { type: 'button', 'data-testid': 'wd-paid' }, t('wd.markPaid')),
  };
  const exportBtn = h('button', { type: 'button', 'data-testid': 'wd-export' }, t('wd.export'));
  // the role's limits: the server refuses anyway, the buttons say so first
  if (!can('money')) for (const b of Object.values(buttons)) { b.title = t('role.denied'); b.setAttribute('data-role-denied', 'money'); }
  if (!can('payout')) { exportBtn.title = t('role.denied'); exportBtn.setAttribute('data-role-denied', 'payout'); }
  const formatSel = h(
    'select',
    { id: 'wd-format', 'data-testid': 'wd-format' },
    (['plain', 'alipay', 'bank'] as const).map((f) => h('option', { value: f }, t(`wd.format.${f}`))),
  );
  let busy = false;

  const selected = () => [...rows.values()].filter((r) => r.box.checked);
  const refresh = () => {
    const sel = selected();
    const net = sel.reduce((s, r) => s + r.w.net, 0);
    selInfo.textContent = sel.length ? t('wd.selectedN', { n: count(sel.length), net: yuan(net) }) : t('wd.noneSelected');
    for (const [a, b] of Object.entries(buttons) as Array<[Action, HTMLButtonElement]>) b.disabled = busy || !sel.some((r) => canTake(a, r.w)) || !can('money');
    exportBtn.disabled = busy || !can('payout');
    all.checked = rows.size > 0 && sel.length === rows.size;
    all.indeterminate = sel.length > 0 && sel.length < rows.size;
  };
  all.addEventListener('change', () => {
    for (const r of rows.values()) r.box.checked = all.checked;
    refresh();
  });

  const addRows = (ws: Withdrawal[]) => {
    for (const w of ws) {
      if (rows.has(w.id)) continue;
      const box = h('input', { type: 'checkbox', 'aria-label': t('wd.select', { id: w.id }), 'data-testid': 'wd-check', onchange: refresh });
      const result = h('span', { class: 'wd-result', 'data-testid': 'wd-result', 'aria-live': 'polite' });
      const statusCell = h('span', { 'data-testid': 'wd-status' }, badge(w.status), blockedNote(w), reasonNote(w));
      const decided = h('span', null, dateTime(w.decided_at));
      const paid = h('span', null, dateTime(w.paid_at));
      const available = h('span', { 'data-testid': 'wd-available', class: w.available < 0 ? 'neg' : '' }, yuan(w.available));
      const detailId = `wd-detail-${w.id}`;
      const toggle = h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false', 'aria-controls': detailId, 'data-testid': 'wd-toggle' }, t('wd.recent'));
      const tr = row(
        [
          box,
          String(w.id),
          h(
            'span',
            { class: 'wd-member' },
            memberLink(w.member, w.member_name || w.member),
            h('div', { class: 'muted small', 'data-testid': 'wd-member-id' }, w.member),
            toggle,
          ),
          money(w.amount),
          money(w.fee),
          money(w.net, 'wd-net'),
          { v: available, num: true },
          tOr(`method.${w.method}`, w.method),
          accountCell(w),
          statusCell,
          dateTime(w.requested_at),
          decided,
          paid,
          result,
        ],
        { 'data-id': String(w.id), 'data-status': w.status, 'data-blocked': w.blocked },
      );
      // the member's recent withdrawals and ledger, loaded on first opening
      let detail: HTMLTableRowElement | null = null;
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        if (open && !detail) {
          const td = h('td', { colspan: COLS }, recent(w.member));
          detail = h('tr', { id: detailId, class: 'wd-detail', 'data-testid': 'wd-detail' }, td);
        }
        if (open && detail) tr.after(detail);
        else detail?.remove();
      });
      rows.set(w.id, { w, tr, box, result, statusCell, decided, paid, available });
      tbody.append(tr);
    }
    refresh();
  };

  const loadPage = async (before: string | null) => {
    const status_ = status === 'all' ? undefined : status;
    const p = await api.get<WithdrawalPage>('/withdrawals', { status: status_, member: member || undefined, from: from || undefined, to: to || undefined, limit: PAGE, before });
    addRows(p.withdrawals);
    if (p.next) {
      const cursor = p.next;
      showMore(more, 'wd-more', () => loadPage(cursor));
    } else mount(more);
    return p;
  };

  const update = (r: Row, w: Withdrawal) => {
    r.w = w;
    r.tr.setAttribute('data-status', w.status);
    if (w.blocked) r.tr.setAttribute('data-blocked', w.blocked);
    else r.tr.removeAttribute('data-blocked');
    mount(r.statusCell, badge(w.status), blockedNote(w), reasonNote(w));
    r.decided.textContent = dateTime(w.decided_at);
    r.paid.textContent = dateTime(w.paid_at);
    r.available.textContent = yuan(w.available);
    r.available.className = w.available < 0 ? 'neg' : '';
  };

  const act = async (action: Action) => {
    const sel = selected();
    const eligible = sel.filter((r) => canTake(action, r.w));
    if (!eligible.length) return;
    const total = eligible.reduce((s, r) => s + r.w.net, 0);
    const words = { n: count(eligible.length), net: yuan(total) };
    let reason: string | null = null;
    if (action === 'reject') {
      // the reason goes with each rejection: its member reads it
      reason = await reasonDialog({
        title: t('wd.dialog.reject', words),
        body: t('wd.confirm.reject', words),
        label: t('wd.reason'),
        hint: t('wd.reasonHint'),
        confirm: t('wd.reject'),
        danger: true,
      });
      if (reason === null) return;
    } else if (!(await confirmDialog({ title: t(`wd.dialog.${action}`, words), body: t(`wd.confirm.${action}`, words), confirm: t(action === 'approve' ? 'wd.approve' : 'wd.markPaid') }))) return;
    busy = true;
    refresh();
    for (const r of sel)
      if (!eligible.includes(r)) {
        r.result.className = 'wd-result muted';
        r.result.textContent = allowed[action].includes(r.w.status)
          ? t('wd.skippedDebt', { owes: yuan(-r.w.available) })
          : t('wd.skipped', { status: t(`status.${r.w.status}`) });
      }
    let ok = 0;
    let failed = 0;
    const queue = [...eligible];
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        // a new reason is a new request: its own key
        const slot = `${r.w.id}:${action}:${reason ?? ''}`;
        const key = keys.get(slot) ?? newIdempotencyKey();
        keys.set(slot, key);
        r.result.className = 'wd-result muted';
        r.result.textContent = t('wd.working');
        try {
          const w = await api.post<Withdrawal>(`/withdrawals/${enc(String(r.w.id))}/${action}`, reason === null ? {} : { reason }, key);
          keys.delete(slot);
          update(r, w);
          r.result.className = 'wd-result pos';
          r.result.textContent = t(`wd.done.${action}`);
          r.box.checked = false;
          ok++;
        } catch (e) {
          // an answer for sure (4xx) ends the key; a network failure or 5xx keeps it for the retry
          if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.delete(slot);
          if (e instanceof ApiError && e.code === 'idempotency_key_in_doubt') keys.delete(slot);
          r.result.className = 'wd-result neg';
          r.result.textContent = errorText(e);
          r.result.setAttribute('data-error', e instanceof ApiError ? e.code : 'error');
          failed++;
          // refused by its state: show the state it is really in now
          if (e instanceof ApiError && e.status === 409) {
            const fresh = await api.get<Withdrawal>(`/withdrawals/${enc(String(r.w.id))}`).catch(() => null);
            if (fresh) update(r, fresh);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, eligible.length) }, worker));
    busy = false;
    refresh();
    summary.textContent = t('wd.summary', { ok: count(ok), failed: count(failed) });
    summary.className = failed ? 'neg' : 'pos';
    toast(summary.textContent, failed ? 'error' : 'ok');
  };
  for (const [a, b] of Object.entries(buttons) as Array<[Action, HTMLButtonElement]>) b.addEventListener('click', () => void act(a));

  // the server's file: every approved withdrawal not yet paid, whatever the
  // page shows or has selected
  exportBtn.addEventListener('click', async () => {
    exportBtn.disabled = true;
    try {
      const name = await downloadFile('/payout.csv', { format: formatSel.value }, `payout-${formatSel.value}.csv`);
      toast(t('wd.exported', { name }));
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      exportBtn.disabled = busy;
    }
  });

  const summary = h('p', { 'data-testid': 'wd-summary', role: 'status' });
  const memberInput = h('input', { id: 'wd-member', type: 'search', value: member, autocomplete: 'off', 'data-testid': 'wd-member' });
  const fromInput = h('input', { id: 'wd-from', type: 'date', value: from, 'data-testid': 'wd-from' });
  const toInput = h('input', { id: 'wd-to', type: 'date', value: to, 'data-testid': 'wd-to' });
  const filterError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'wd-filter-error' });
  // the filters in the address, so that a filtered queue can be linked and reloaded
  const query = (s: string, m: string, f: string, t_: string) => `/withdrawals?status=${s}${m ? `&member=${enc(m)}` : ''}${f ? `&from=${f}` : ''}${t_ ? `&to=${t_}` : ''}`;
  const filter = h(
    'form',
    {
      class: 'row',
      'data-testid': 'wd-filters',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = fromInput.value;
        const t_ = toInput.value;
        if (f && t_ && t_ < f) {
          filterError.textContent = t('wd.toBeforeFrom');
          toInput.setAttribute('aria-invalid', 'true');
          return;
        }
        go(query(status, memberInput.value.trim(), f, t_));
      },
    },
    h('label', { for: 'wd-member' }, t('wd.member'), memberInput),
    h('label', { for: 'wd-from' }, t('wd.from'), fromInput),
    h('label', { for: 'wd-to' }, t('wd.to'), toInput),
    h('button', { type: 'submit', 'data-testid': 'wd-filter' }, t('wd.filter')),
    from || to || member ? h('a', { href: `#${query(status, '', '', '')}`, 'data-testid': 'wd-clear' }, t('wd.clear')) : null,
    filterError,
  );
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': t('wd.statuses') },
    STATUSES.map((s) =>
      h(
        'a',
        { href: `#${query(s, member, from, to)}`, 'aria-current': !idParam && s === status ? 'page' : null, 'data-testid': `wd-tab-${s}` },
        s === 'all' ? t('wd.all') : t(`status.${s}`),
      ),
    ),
  );
  const tableEl = table(
    t('nav.withdrawals'),
    [
      { label: t('wd.selectCol'), sr: true },
      t('wd.id'),
      t('wd.memberCol'),
      { label: t('wd.amount'), num: true },
      { label: t('wd.fee'), num: true },
      { label: t('wd.net'), num: true },
      { label: t('wd.availableNow'), num: true },
      t('wd.method'),
      t('wd.account'),
      t('wd.status'),
      t('wd.requestedAt'),
      t('wd.decidedAt'),
      t('wd.paidAt'),
      t('wd.result'),
    ],
    [],
    'wd-table',
  );
  tableEl.querySelector('tbody')?.replaceWith(tbody);
  tableEl.querySelector('th')?.replaceChildren(all);

  mount(
    main,
    heading(t('nav.withdrawals'), t('wd.hint')),
    h('section', { class: 'card' }, tabs, filter),
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'row actions', role: 'toolbar', 'aria-label': t('wd.actions') }, buttons.approve, buttons.reject, buttons.paid, selInfo),
      h('div', { class: 'row actions', role: 'group', 'aria-label': t('wd.payout') }, h('label', { for: 'wd-format' }, t('wd.formatLabel'), formatSel), exportBtn),
      summary,
      listBox,
      more,
    ),
  );
  refresh();

  mount(listBox, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  const load = idParam
    ? api.get<Withdrawal>(`/withdrawals/${enc(idParam)}`).then((w) => (addRows([w]), { withdrawals: [w], next: null }))
    : loadPage(null);
  load.then(
    (p) => {
      mount(listBox, p.withdrawals.length ? tableEl : empty(t('wd.empty')));
      listBox.setAttribute('data-ready', 'true');
    },
    (e) => mount(listBox, failure(e, () => withdrawalsPage(_p, q))),
  );
}
