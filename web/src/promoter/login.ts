// Logging in with member id and password.
import { h } from '../lib/dom';
import { t } from '../lib/i18n';
import { dispatch } from '../lib/router';
import { screen } from './layout';
import { login } from './session';
import { errorWords, field } from './ui';

export function loginView(): void {
  const main = screen({ title: t('p.app') });
  const member = h('input', { type: 'text', name: 'member', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, 'data-testid': 'login-member' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'login-error' });
  const submit = h('button', { type: 'submit', class: 'primary p-block', 'data-testid': 'login-submit' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'p-card p-form', novalidate: true },
    h('h2', null, t('login.title')),
    h('p', { class: 'muted' }, t('login.intro')),
    field(t('login.member'), member),
    field(t('login.password'), password),
    error,
    submit,
    h('p', { class: 'p-hint' }, t('login.noAccount')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    if (!member.value.trim() || !password.value) {
      error.textContent = t('login.missing');
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await login(member.value.trim(), password.value);
      dispatch(); // the screen the address names, now logged in
    } catch (err) {
      error.textContent = errorWords(err);
      password.select();
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  main.append(h('div', { class: 'p-narrow' }, form));
  queueMicrotask(() => member.focus());
}
