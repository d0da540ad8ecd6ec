// The join page (#/join/:code) an invite link opens: the new member picks an
// id, a name and a password (POST /auth/register) and is logged in.
import { ApiError } from '../lib/api';
import { h, toast } from '../lib/dom';
import { t } from '../lib/i18n';
import { go } from '../lib/router';
import { screen } from './layout';
import { loggedIn, myId, register } from './session';
import { errorWords, field } from './ui';

export function joinView(params: Record<string, string>): void {
  const code = (params.code ?? '').trim();
  const main = screen({ title: t('join.title') });
  const id = h('input', { type: 'text', name: 'id', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, maxlength: 64, 'data-testid': 'join-id' });
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'nickname', maxlength: 64, 'data-testid': 'join-name' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 128, 'data-testid': 'join-password' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'join-error' });
  const submit = h('button', { type: 'submit', class: 'primary p-block', 'data-testid': 'join-submit' }, t('join.submit'));
  const form = h(
    'form',
    { class: 'p-card p-form', novalidate: true },
    h('h2', null, t('join.heading')),
    h('p', { class: 'muted' }, t('join.code'), ' ', h('strong', { 'data-testid': 'join-code' }, code)),
    loggedIn() ? h('p', { class: 'p-hint' }, t('join.switching', { id: myId() })) : null,
    field(t('join.id'), id, t('join.idHint')),
    field(t('join.name'), name),
    field(t('join.password'), password, t('join.passwordHint')),
    error,
    submit,
    h('p', { class: 'p-hint' }, h('a', { href: '#/products' }, t('join.haveAccount'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    if (!id.value.trim()) {
      error.textContent = t('join.needId');
      id.focus();
      return;
    }
    if (password.value.length < 8) {
      error.textContent = t('join.shortPassword');
      password.focus();
      return;
    }
    error.textContent = '';
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await register({ invite: code, id: id.value.trim(), name: name.value.trim() || undefined, password: password.value });
      toast(t('join.welcome'));
      go('/products');
    } catch (err) {
      // a server without sign-up answers 404 for the route itself
      error.textContent = err instanceof ApiError && err.status === 404 && !err.field ? t('join.unavailable') : errorWords(err);
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
  main.append(h('div', { class: 'p-narrow' }, form));
}
