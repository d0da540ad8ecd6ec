// 对账单 / Statements: each merchant's monthly statement — a month picker
// and the month's list with state chips; a statement's page with its lines
// per campaign product, totals and slot fees, the moves its state allows
// (reopening asks a reason, invoicing the invoice number), a warning when
// the figures changed since it was sent, and the server's CSV and XLSX.
import { queryString } from '../lib/api';
import { empty, errorText, failure, h, mount, toast } from '../lib/dom';
import { dateTime, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { go } from '../lib/router';
import { downloadFile } from './csv';
import { page } from './layout';
import { gate } from './roles';
import { api } from './session';
import { badge, card, confirmDialog, facts, heading, money, num, reasonDialog, row, table } from './ui';
import './statements-messages';

type State = 'draft' | 'sent' | 'confirmed' | 'invoiced';

interface Figures {
  orders: number;
  gmv: number;
  commission: number;
  service_fee: number;
  service_fee_settled: number;
  service_fee_estimated: number;
  refunds: number;
  refund_gmv: number;
  refund_service_fee: number;
}

interface Line extends Figures {
  campaign: number;
  campaign_name: string;
  product: string;
  title: string;
}

interface Slot {
  id: number;
  campaign: number;
  campaign_name: string;
  channel: number;
  channel_name: string;
  amount: number;
  state: 'booked' | 'collected';
}

interface Head {
  id: number;
  merchant: number;
  merchant_name: string;
  month: number;
  state: State;
  invoice: string | null;
  reason: string | null;
  updated_at: string;
  sent_at: string | null;
  confirmed_at: string | null;
  invoiced_at: string | null;
}

interface Statement extends Head {
  lines: Line[];
  slot_fees: Slot[];
  totals: Figures & { slot_fee_collected: number; slot_fee_outstanding: number };
  figures: 'live' | 'sent';
  changed_since_sent: boolean;
  changes: Array<{ what: string; sent: number | null; now: number | null }>;
}

interface StatementPage {
  statements: Head[];
  next_before: number | null;
}

const STATES: State[] = ['draft', 'sent', 'confirmed', 'invoiced'];

// YYYY-MM of a month number 202611, and back.
const monthText = (m: number) => `${Math.trunc(m / 100)}-${String(m % 100).padStart(2, '0')}`;

// The month before this one at Beijing time: what is usually billed.
function lastMonth(): string {
  const now = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const [y, m] = now.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const stateChip = (s: string) => h('span', { 'data-testid': 'stmt-state' }, badge(s, 'stmt.state'));

export function statementsPage(_p: Record<string, string>, query: URLSearchParams): void {
  const main = page(t('nav.statements'));
  const month = /^\d{4}-\d{2}$/.test(query.get('month') ?? '') ? (query.get('month') as string) : lastMonth();
  const state = STATES.includes(query.get('state') as State) ? (query.get('state') as State) : '';
  const monthInput = h('input', { id: 'stmt-month', type: 'month', value: month, required: true, 'data-testid': 'stmt-month' });
  const stateSelect = h(
    'select',
    { id: 'stmt-state-filter', 'data-testid': 'stmt-state-filter' },
    h('option', { value: '' }, t('stmt.anyState')),
    STATES.map((s) => h('option', { value: s, selected: s === state }, t(`stmt.state.${s}`))),
  );
  const form = h(
    'form',
    {
      class: 'row',
      'data-testid': 'stmt-filter',
      onsubmit: (e: Event) => {
        e.preventDefault();
        go(`/statements${queryString({ month: monthInput.value || month, state: stateSelect.value || null })}`);
      },
    },
    h('label', { for: 'stmt-month' }, t('stmt.month'), monthInput),
    h('label', { for: 'stmt-state-filter' }, t('stmt.state'), stateSelect),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'stmt-apply' }, t('stmt.apply')),
  );
  const generate = gate(h('button', { type: 'button', 'data-testid': 'stmt-generate' }, t('stmt.generate')), 'statements', t('role.denied'));
  generate.addEventListener('click', async () => {
    generate.disabled = true;
    try {
      const r = await api.post<{ created: number[]; existing: number[] }>('/statements', { month });
      toast(t('stmt.generated', { n: r.created.length, m: r.existing.length }));
      statementsPage(_p, query);
    } catch (e) {
      toast(t('common.error', { message: errorText(e) }), 'error');
      generate.disabled = false;
    }
  });
  const listBox = h('div', { 'data-testid': 'stmt-list' }, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  mount(main, heading(t('nav.statements'), t('stmt.intro')), h('section', { class: 'card' }, form, h('div', { class: 'row actions' }, generate)), h('section', { class: 'card' }, listBox));
  api.get<StatementPage>('/statements', { month: month.replace('-', ''), state: state || null, limit: 100 }).then(
    (p) => {
      mount(
        listBox,
        p.statements.length
          ? table(
              t('nav.statements'),
              [t('stmt.merchant'), t('stmt.month'), t('stmt.state'), t('stmt.invoice'), t('stmt.updated')],
              p.statements.map((s) =>
                row([h('a', { href: `#/statements/${s.id}`, 'data-testid': 'stmt-open' }, s.merchant_name), monthText(s.month), stateChip(s.state), s.invoice ?? '—', dateTime(s.updated_at)], {
                  'data-id': String(s.id),
                  'data-state': s.state,
                }),
              ),
              'stmt-table',
            )
          : empty(t('stmt.empty')),
      );
      listBox.setAttribute('data-ready', 'true');
    },
    (e) =>
      mount(
        listBox,
        failure(e, () => statementsPage(_p, query)),
      ),
  );
}

function figureCells(f: Figures, testid = ''): Array<ReturnType<typeof money> | ReturnType<typeof num>> {
  return [
    num(f.orders, `${testid}orders`),
    money(f.gmv, `${testid}gmv`),
    money(f.commission, `${testid}commission`),
    money(f.service_fee, `${testid}fee`),
    num(f.refunds, `${testid}refunds`),
    money(f.refund_gmv, `${testid}refund-gmv`),
    money(f.refund_service_fee, `${testid}refund-fee`),
  ];
}

const CHANGE = /^(totals|line (\d+)\/(.*?))(?:\.([a-z_]+))?$/;

// Whether a change is a count (orders, refunds, slot fees) or money.
function changeIsCount(what: string): boolean {
  const f = CHANGE.exec(what)?.[4];
  return what === 'slot_fees' || f === 'orders' || f === 'refunds';
}

// "totals.gmv" or "line 1/P100.gmv" in the reader's words.
function changeLabel(what: string): string {
  const m = CHANGE.exec(what);
  if (what === 'slot_fees') return t('stmt.fig.slot_fees');
  if (!m) return what;
  const where = m[1] === 'totals' ? t('stmt.totals') : `${t('stmt.fig.line')} ${m[3]}`;
  return m[4] ? `${where} · ${tOr(`stmt.fig.${m[4]}`, m[4])}` : where;
}

async function download(s: Statement, format: 'csv' | 'xlsx'): Promise<void> {
  const name = await downloadFile(`/statements/${s.id}/export`, { format, lang: document.documentElement.lang === 'en' ? 'en' : 'zh-CN' }, `statement-${s.merchant}-${s.month}.${format}`);
  toast(t('stmt.downloaded', { name }));
}

export function statementPage(p: Record<string, string>): void {
  const main = page(t('nav.statements'));
  mount(main, h('div', { class: 'state loading', role: 'status' }, t('common.loading')));
  api.get<Statement>(`/statements/${encodeURIComponent(p.id)}`).then(
    (s) => drawStatement(main, s),
    (e) =>
      mount(
        main,
        failure(e, () => statementPage(p)),
      ),
  );
}

function drawStatement(main: HTMLElement, s: Statement): void {
  const act = async (move: 'send' | 'confirm' | 'reopen' | 'invoice') => {
    let body: Record<string, string> | undefined;
    if (move === 'reopen') {
      const reason = await reasonDialog({ title: t('stmt.reopen'), label: t('stmt.reopenReason'), confirm: t('stmt.reopen'), max: 500 });
      if (reason === null) return;
      body = { reason };
    } else if (move === 'invoice') {
      const invoice = await reasonDialog({ title: t('stmt.invoiceAction'), label: t('stmt.invoiceNumber'), confirm: t('stmt.invoiceAction'), max: 64 });
      if (invoice === null) return;
      body = { invoice };
    } else {
      const ok = await confirmDialog({
        title: move === 'send' ? t('stmt.send') : t('stmt.confirm'),
        body: move === 'send' ? t('stmt.sendConfirm') : t('stmt.confirmConfirm'),
        confirm: move === 'send' ? t('stmt.send') : t('stmt.confirm'),
      });
      if (!ok) return;
    }
    try {
      const next = await api.post<Statement>(`/statements/${s.id}/${move}`, body);
      toast(t(`stmt.done.${move}`));
      drawStatement(main, next);
    } catch (e) {
      toast(t('common.error', { message: errorText(e) }), 'error');
    }
  };
  const button = (move: 'send' | 'confirm' | 'reopen' | 'invoice', label: string, primary = false) =>
    gate(h('button', { type: 'button', class: primary ? 'primary' : null, 'data-testid': `stmt-${move}`, onclick: () => void act(move) }, label), 'statements', t('role.denied'));
  const moves =
    s.state === 'draft'
      ? [button('send', t('stmt.send'), true)]
      : s.state === 'sent'
        ? [button('confirm', t('stmt.confirm'), true), button('reopen', t('stmt.reopen'))]
        : s.state === 'confirmed'
          ? [button('invoice', t('stmt.invoiceAction'), true)]
          : [];
  const fileButton = (format: 'csv' | 'xlsx') => {
    const b = h('button', { type: 'button', 'data-testid': `stmt-${format}` }, t(format === 'csv' ? 'stmt.csv' : 'stmt.xlsx'));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await download(s, format);
      } catch (e) {
        toast(t('common.error', { message: errorText(e) }), 'error');
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  const cols = [
    t('stmt.campaign'),
    t('stmt.product'),
    { label: t('stmt.orders'), num: true },
    { label: t('stmt.gmv'), num: true },
    { label: t('stmt.commission'), num: true },
    { label: t('stmt.fee'), num: true },
    { label: t('stmt.refunds'), num: true },
    { label: t('stmt.refundGmv'), num: true },
    { label: t('stmt.refundFee'), num: true },
  ];
  const lineRows = s.lines.map((l) =>
    row([l.campaign_name, h('span', null, l.title || l.product, h('div', { class: 'muted small' }, l.product)), ...figureCells(l)], { 'data-testid': 'stmt-line', 'data-product': l.product }),
  );
  lineRows.push(row([h('strong', null, t('stmt.total')), '', ...figureCells(s.totals, 'stmt-total-')], { 'data-testid': 'stmt-totals' }));
  const changed = s.changed_since_sent
    ? h(
        'section',
        { class: 'card stmt-changed', role: 'alert', 'data-testid': 'stmt-changed' },
        h('h2', null, t('stmt.changed')),
        h('p', { class: 'muted' }, t('stmt.changedHint')),
        table(
          t('stmt.changed'),
          [t('stmt.change.what'), { label: t('stmt.change.sent'), num: true }, { label: t('stmt.change.now'), num: true }],
          s.changes.map((c) => {
            const cell = (v: number | null) => (changeIsCount(c.what) ? num(v) : money(v));
            return row([changeLabel(c.what), cell(c.sent), cell(c.now)], { 'data-what': c.what });
          }),
          'stmt-changes',
        ),
      )
    : null;
  mount(
    main,
    h('p', null, h('a', { href: '#/statements' + queryString({ month: monthText(s.month) }) }, `← ${t('stmt.back')}`)),
    heading(t('stmt.title', { merchant: s.merchant_name, month: monthText(s.month) }), h('span', null, stateChip(s.state), ' ', s.figures === 'live' ? t('stmt.live') : t('stmt.frozen'))),
    changed,
    card(
      null,
      'stmt-head',
      facts([
        [t('stmt.state'), stateChip(s.state)],
        [t('stmt.sentAt'), dateTime(s.sent_at)],
        [t('stmt.confirmedAt'), dateTime(s.confirmed_at)],
        [t('stmt.invoice'), s.invoice ?? '—', 'stmt-invoice-no'],
        [t('stmt.reason'), s.reason ?? '—', 'stmt-reason'],
      ]),
      h('div', { class: 'row actions', 'data-testid': 'stmt-moves' }, ...moves, fileButton('csv'), fileButton('xlsx')),
    ),
    card(t('stmt.lines'), 'stmt-lines', s.lines.length ? table(t('stmt.lines'), cols, lineRows, 'stmt-lines-table') : empty(t('stmt.noLines'))),
    card(
      t('stmt.slots'),
      'stmt-slots',
      s.slot_fees.length
        ? table(
            t('stmt.slots'),
            [t('stmt.campaign'), t('stmt.channel'), t('stmt.state'), { label: t('stmt.amount'), num: true }],
            s.slot_fees.map((f) => row([f.campaign_name, f.channel_name, badge(f.state, 'stmt.slot'), money(f.amount, 'stmt-slot-amount')], { 'data-testid': 'stmt-slot' })),
            'stmt-slots-table',
          )
        : empty(t('stmt.noSlots')),
      h(
        'p',
        { class: 'muted', 'data-testid': 'stmt-slot-totals' },
        t('stmt.slotCollected', { amount: yuan(s.totals.slot_fee_collected) }),
        ' · ',
        t('stmt.slotOutstanding', { amount: yuan(s.totals.slot_fee_outstanding) }),
      ),
    ),
  );
  main.setAttribute('data-ready', 'true');
}
