// Withdraw: the available balance, the request form (the plan's minimum and
// fee and what arrives, checked before sending; the last withdrawal's account
// filled in) and my withdrawals, a rejected one with the reason it was given.
// One Idempotency-Key per submit attempt, kept for a retry of the same
// request after a network or server failure, so a double tap or a retry
// never withdraws twice; the button is disabled while a request is out.
import { ApiError, enc, newIdempotencyKey } from '../lib/api';
import { h, toast } from '../lib/dom';
import { bps, dateTime, parseYuan, yuan } from '../lib/format';
import { t, tOr } from '../lib/i18n';
import { screen } from './layout';
import { api, myId } from './session';
import type { WithdrawalTerms } from '../lib/types';
import type { Balance, Withdrawal, WithdrawalPage } from './types';
import { errorWords, field, pagedList, section, show, word } from './ui';

const METHODS = ['alipay', 'wechat', 'bank'] as const;

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

// The fee by the server's rule, floor(amount × bps / 10000), in BigInt so
// that no amount the form takes loses a fen to floating point.
export function withdrawFee(fen: number, bps: number): number {
  return Number((BigInt(fen) * BigInt(bps)) / 10000n);
}

// A bank card's number: 12 to 19 digits, spaces allowed between groups.
const isCard = (s: string) => /^[\d ]+$/.test(s) && /^\d{12,19}$/.test(s.replace(/ /g, ''));

function form(available: () => number | null, done: () => void): HTMLElement {
  const amount = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', name: 'amount', required: true, placeholder: '0.00', 'data-testid': 'withdraw-amount' });
  const method = h('select', { name: 'method', 'data-testid': 'withdraw-method' }, METHODS.map((m) => h('option', { value: m }, word('method', m))));
  const account = h('input', { type: 'text', name: 'account', autocomplete: 'off', required: true, maxlength: 64, 'data-testid': 'withdraw-account' });
  const accountField = field(t('withdraw.account.alipay'), account);
  // the account owner's real name, which the payment channel checks (a bank's always)
  const payee = h('input', { type: 'text', name: 'payee', autocomplete: 'name', maxlength: 40, 'data-testid': 'withdraw-payee' });
  const payeeField = field(t('withdraw.payee'), payee, t('withdraw.payeeHint'));
  // a bank card's bank and branch, which the bank's payout template asks for
  const bank = h('input', { type: 'text', name: 'bank', autocomplete: 'off', maxlength: 40, placeholder: t('withdraw.bankExample'), 'data-testid': 'withdraw-bank' });
  const branch = h('input', { type: 'text', name: 'branch', autocomplete: 'off', maxlength: 40, placeholder: t('withdraw.branchExample'), 'data-testid': 'withdraw-branch' });
  const bankFields = h('div', { 'data-testid': 'withdraw-bank-fields' }, field(t('withdraw.bank'), bank), field(t('withdraw.branch'), branch));
  // the plan's minimum and fee, and what arrives for the amount typed
  const terms = h('p', { class: 'p-hint p-terms', 'aria-live': 'polite', 'data-testid': 'withdraw-terms' }, t('withdraw.rules'));
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'withdraw-error' });
  const submit = h('button', { type: 'submit', class: 'primary p-block', 'data-testid': 'withdraw-submit' }, t('withdraw.submit'));
  const all = h('button', { type: 'button', class: 'p-link-button', 'data-testid': 'withdraw-all' }, t('withdraw.all'));
  let rules: WithdrawalTerms | null = null;
  let touched = false; // the member typed into the account fields: the last withdrawal's do not overwrite them

  const showTerms = () => {
    if (!rules) return;
    const fen = parseYuan(amount.value);
    const base = t('withdraw.terms', { min: yuan(rules.min), fee: bps(rules.fee_bps) });
    terms.textContent = fen !== null && fen > 0 ? `${base}${t('withdraw.termsNet', { net: yuan(fen - withdrawFee(fen, rules.fee_bps)) })}` : base;
    terms.setAttribute('data-min', String(rules.min));
    terms.setAttribute('data-fee-bps', String(rules.fee_bps));
  };
  const relabel = () => {
    const isBank = method.value === 'bank';
    accountField.querySelector('label')!.textContent = tOr(`withdraw.account.${method.value}`, method.value);
    bankFields.hidden = !isBank;
    payeeField.querySelector('label')!.textContent = t(isBank ? 'withdraw.payeeRequired' : 'withdraw.payee');
    account.inputMode = isBank ? 'numeric' : 'text';
  };
  relabel();
  method.addEventListener('change', relabel);
  amount.addEventListener('input', showTerms);
  for (const el of [account, payee, bank, branch, method]) el.addEventListener('input', () => (touched = true));
  // a field being corrected is no longer the one at fault
  for (const el of [amount, account, payee, bank, branch])
    el.addEventListener('input', () => {
      if (el.getAttribute('aria-invalid') !== 'true') return;
      el.removeAttribute('aria-invalid');
      error.textContent = '';
    });
  all.addEventListener('click', () => {
    const a = available();
    if (a !== null && a > 0) amount.value = yuan(a, { symbol: false }).replace(/,/g, '');
    showTerms();
    amount.focus();
  });

  // the terms, and where the last withdrawal went: the same account next time
  const termsRead = api.get<WithdrawalTerms>('/withdrawal-terms').then(
    (r) => {
      rules = r;
      showTerms();
    },
    () => {
      /* the general rule line stays; the server checks anyway */
    },
  );
  api.get<WithdrawalPage>('/withdrawals', { limit: 1 }).then(
    (p) => {
      const last = p.withdrawals[0];
      if (!last || touched) return;
      if (METHODS.some((m) => m === last.method)) method.value = last.method;
      account.value = last.account;
      payee.value = last.payee ?? '';
      bank.value = last.bank ?? '';
      branch.value = last.branch ?? '';
      relabel();
    },
    () => {
      /* nothing remembered */
    },
  );

  const invalid = (el: HTMLInputElement, words: string) => {
    error.textContent = words;
    el.setAttribute('aria-invalid', 'true');
    el.focus();
  };

  let sending = false;
  const el = h(
    'form',
    { class: 'p-card p-form', 'data-testid': 'withdraw-form', novalidate: true },
    h('div', { class: 'p-amount-row' }, field(t('withdraw.amount'), amount, t('withdraw.amountHint')), all),
    terms,
    field(t('withdraw.method'), method),
    accountField,
    bankFields,
    payeeField,
    error,
    submit,
  );
  // one submission at a time, from the first check to the answer: a double
  // tap while the terms are still on their way makes one request too
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (sending) return;
    sending = true;
    try {
      await send();
    } finally {
      sending = false;
    }
  });
  const send = async () => {
    error.textContent = '';
    for (const x of [amount, account, payee, bank, branch]) x.removeAttribute('aria-invalid');
    const fen = parseYuan(amount.value);
    if (fen === null || fen <= 0) return invalid(amount, t('withdraw.badAmount'));
    await termsRead; // a tap before the terms arrived is checked against them too
    // the plan's minimum, before anything is sent (the server checks again)
    if (rules && fen < rules.min) return invalid(amount, t('withdraw.belowMin', { min: yuan(rules.min) }));
    const isBank = method.value === 'bank';
    const acc = account.value.trim();
    if (!acc) return invalid(account, t('withdraw.noAccount'));
    if (isBank && !isCard(acc)) return invalid(account, t('withdraw.badCard'));
    const name = payee.value.trim();
    const bankName = bank.value.trim();
    const branchName = branch.value.trim();
    if (isBank && !bankName) return invalid(bank, t('withdraw.noBank'));
    if (isBank && !branchName) return invalid(branch, t('withdraw.noBranch'));
    if (isBank && !name) return invalid(payee, t('withdraw.noPayee'));

    const body = { amount: fen, method: method.value, account: acc, ...(name ? { payee: name } : {}), ...(isBank ? { bank: bankName, branch: branchName } : {}) };
    const request = JSON.stringify(body);
    const key = unanswered && unanswered.request === request ? unanswered.key : newIdempotencyKey();
    unanswered = { request, key };
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    submit.textContent = t('withdraw.sending');
    try {
      const w = await api.post<Withdrawal>('/withdrawals', body, key);
      unanswered = null;
      amount.value = '';
      showTerms();
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
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      submit.textContent = t('withdraw.submit');
    }
  };
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
      // why it was not paid, in the operator's words, and where the money is now
      w.status === 'rejected' && w.reason ? h('div', { class: 'p-row-sub p-reject-reason', 'data-testid': 'withdrawal-reason' }, t('withdraw.rejectedBecause', { reason: w.reason })) : null,
    ),
    h(
      'div',
      { class: 'p-row-amount num' },
      h('div', { 'data-testid': 'withdrawal-amount' }, yuan(w.amount)),
      h('span', { class: `badge ${tone}` }, word('wstatus', w.status)),
    ),
  );
}
