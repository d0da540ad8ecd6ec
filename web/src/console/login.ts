// Log in by pasting an operator API key (tk_...): traded for an operator
// session that expires (see session.ts); the key is not kept.
import { ApiError } from '../lib/api';
import { errorText, h, mount } from '../lib/dom';
import { lang, setLang, t } from '../lib/i18n';
import { logIn } from './session';

export function renderLogin(app: HTMLElement, done: () => void, notice?: string): void {
  const input = h('input', {
    id: 'login-key',
    name: 'key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'tk_…',
    'data-testid': 'login-key',
  });
  const error = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'login-error' }, notice ?? '');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login.submit'));
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const key = input.value.trim();
        if (!/^tk_[A-Za-z0-9_-]{10,}$/.test(key)) {
          error.textContent = t('login.malformed');
          input.focus();
          return;
        }
        submit.disabled = true;
        error.textContent = '';
        try {
          await logIn(key);
          done();
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) error.textContent = t('login.rejected');
          else if (err instanceof Error && err.message === 'not-operator') error.textContent = t('login.notOperator');
          else error.textContent = errorText(err);
          submit.disabled = false;
          input.focus();
        }
      },
    },
    h('label', { for: 'login-key' }, t('login.key'), input),
    h('p', { class: 'muted hint' }, t('login.hint')),
    error,
    submit,
  );
  const other = lang() === 'zh' ? 'en' : 'zh';
  mount(
    app,
    h(
      'main',
      { class: 'login card', 'data-testid': 'login' },
      h('div', { class: 'login-head' }, h('h1', null, t('login.title')), h('button', { type: 'button', class: 'link-button', onclick: () => setLang(other) }, other === 'zh' ? '中文' : 'English')),
      form,
    ),
  );
  input.focus();
}
