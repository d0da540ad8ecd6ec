// Withdraw: the available balance, the request form and my withdrawals.
// One Idempotency-Key per submit attempt, kept for a retry of the same
// request after a network or server failure, so a double tap or a retry
// never withdraws twice; the button is disabled while a request is out.
import { ApiError, enc, newIdempotencyKey } from '../lib/api';
import { h, toast } from '../lib/dom';
import { dateTime, parseYuan, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { screen } from './layout';
import { api, myId } from './session';
import type { Balance, Withdrawal, WithdrawalPage } from './types';
import { errorWords, field, pagedList, section, show, word } from './ui';

const METHODS = ['alipay', 'wechat', 'bank'] as const;
const ACCOUNT_KEY = 'tuike.promoter.account';

// The last attempt that got no definite answer: retried with the same key.
let unanswered: { request: string; key: string } | null = null;

export function withdrawView(): void {
  const main = screen({ title: t('withdraw.title'), tab: 'earnings', back: '#/earnings' });
  const balanceBox = h('div');
  const listBox = h('div');
  let available: number | null = null;

  const loadBalance = () =>
    show(
      balanceBox,
      () => api.get<Balance>(`/members/${enc(myId())}/balance`),
      (b) => {
        available = b.available;
        return h(
          'div',
          { class: 'p-hero' },
          h('div', { class: 'p-hero-label' }, t('balance.available')),
          h('div', { class: `p-hero-value ${b.available < 0 ? 'neg' : ''}`, 'data-testid': 'withdraw-available' }, yuan(b.available)),
          h('div', { class: 'p-hero-hint' }, t('withdraw.withdrawing', { amount: yuan(b.withdrawing) })),
        );
      },
    );
  const loadList = () =>
    listBox.replaceChildren(
      pagedList<Withdrawal>({
        load: async (before) => {
          const r = await api.get<WithdrawalPage>('/withdrawals', { limit: 20, before });
          return { items: r.withdrawals, next: r.next };
        },
        row: withdrawalRow,
        emptyText: t('withdraw.none'),
        testid: 'withdrawals',
      }),
    );

  main.append(
    balanceBox,
    form(
      () => available,
      () => {
        void loadBalance();
        loadList();
      },
    ),
    section(t('withdraw.mine'), listBox),
  );
  void loadBalance();
  loadList();
}

function form(available: () => number | null, done: () => void): HTMLElement {
  const amount = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', name: 'amount', required: true, placeholder: '0.00', 'data-testid': 'withdraw-amount' });
  const method = h('select', { name: 'method', 'data-testid': 'withdraw-method' }, METHODS.map((m) => h('option', { value: m }, word('method', m))));
  const account = h('input', { type: 'text', name: 'account', autocomplete: 'off', required: true, maxlength: 64, 'data-testid': 'withdraw-account' });
  const accountField = field(t('withdraw.account.alipay'), account);
  // the account owner's real name, which the payment channel checks (optional)
  const payee = h('input', { type: 'text', name: 'payee', autocomplete: 'name', maxlength: 40, 'data-testid': 'withdraw-payee' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'withdraw-error' });
  const submit = h('button', { type: 'submit', class: 'primary p-block', 'data-testid': 'withdraw-submit' }, t('withdraw.submit'));
  const all = h('button', { type: 'button', class: 'p-link-button', 'data-testid': 'withdraw-all' }, t('withdraw.all'));

  // the last account used, so that a regular does not type it each time
  try {
    const saved = JSON.parse(localStorage.getItem(`${ACCOUNT_KEY}.${myId()}`) ?? 'null') as { method?: string; account?: string; payee?: string } | null;
    if (saved?.method && METHODS.some((m) => m === saved.method)) method.value = saved.method;
    if (saved?.account) account.value = saved.account;
    if (saved?.payee) payee.value = saved.payee;
  } catch {
    /* nothing kept */
  }
  const relabel = () => {
    accountField.querySelector('label')!.textContent = tOr(`withdraw.account.${method.value}`, method.value);
  };
  relabel();
  method.addEventListener('change', relabel);
  all.addEventListener('click', () => {
    const a = available();
    if (a !== null && a > 0) amount.value = yuan(a, { symbol: false }).replace(/,/g, '');
    amount.focus();
  });

  let sending = false;
  const el = h(
    'form',
    { class: 'p-card p-form', 'data-testid': 'withdraw-form', novalidate: true },
    h('div', { class: 'p-amount-row' }, field(t('withdraw.amount'), amount, t('withdraw.amountHint')), all),
    field(t('withdraw.method'), method),
    accountField,
    field(t('withdraw.payee'), payee, t('withdraw.payeeHint')),
    h('p', { class: 'p-hint' }, t('withdraw.rules')),
    error,
    submit,
  );
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (sending) return;
    error.textContent = '';
    const fen = parseYuan(amount.value);
    if (fen === null || fen <= 0) {
      error.textContent = t('withdraw.badAmount');
      amount.setAttribute('aria-invalid', 'true');
      amount.focus();
      return;
    }
    amount.removeAttribute('aria-invalid');
    const acc = account.value.trim();
    if (!acc) {
      error.textContent = t('withdraw.noAccount');
      account.setAttribute('aria-invalid', 'true');
      account.focus();
      return;
    }
    account.removeAttribute('aria-invalid');

    const name = payee.value.trim();
    const body = { amount: fen, method: method.value, account: acc, ...(name ? { payee: name } : {}) };
    const request = JSON.stringify(body);
    const key = unanswered && unanswered.request === request ? unanswered.key : newIdempotencyKey();
    unanswered = { request, key };
    sending = true;
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    submit.textContent = t('withdraw.sending');
    try {
      const w = await api.post<Withdrawal>('/withdrawals', body, key);
      unanswered = null;
      try {
        localStorage.setItem(`${ACCOUNT_KEY}.${myId()}`, JSON.stringify({ method: body.method, account: acc, payee: name }));
      } catch {
        /* not kept */
      }
      amount.value = '';
      toast(t('withdraw.done', { amount: yuan(w.amount) }));
      done();
    } catch (e) {
      // no answer, or the server failed before applying it: a retry of this
      // same request reuses the key; any other answer was definite
      const definite = e instanceof ApiError && e.status > 0 && e.status < 500;
      if (definite) unanswered = null;
      if (e instanceof ApiError && e.code === 'idempotency_key_in_doubt') {
        error.textContent = t('withdraw.inDoubt');
        done();
      } else {
        error.textContent = errorWords(e);
        if (!definite) error.textContent += ` ${t('withdraw.retrySafe')}`;
      }
      if (e instanceof ApiError && e.field === 'amount') amount.setAttribute('aria-invalid', 'true');
    } finally {
      sending = false;
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      submit.textContent = t('withdraw.submit');
    }
  });
  return el;
}

function withdrawalRow(w: Withdrawal): HTMLElement {
  const tone = w.status === 'paid' ? 'ok' : w.status === 'rejected' ? 'bad' : 'warn';
  return h(
    'li',
    { class: 'p-row', 'data-testid': 'withdrawal-row', 'data-id': w.id },
    h(
      'div',
      { class: 'p-row-main' },
      h('div', { class: 'p-row-title' }, word('method', w.method), w.account ? h('span', { class: 'muted' }, ` · ${w.account}`) : null),
      h('div', { class: 'p-row-sub muted' }, h('time', { datetime: w.requested_at ?? '' }, dateTime(w.requested_at))),
      w.fee ? h('div', { class: 'p-row-sub muted' }, t('withdraw.feeNet', { fee: yuan(w.fee), net: yuan(w.net) })) : null,
    ),
    h(
      'div',
      { class: 'p-row-amount num' },
      h('div', { 'data-testid': 'withdrawal-amount' }, yuan(w.amount)),
      h('span', { class: `badge ${tone}` }, word('wstatus', w.status)),
    ),
  );
}
