// Sign-in form (登录客服工作台). The server sets an HttpOnly session cookie; nothing secret is
// kept in the page or in localStorage.
import { $ } from '../common/dom.js';
import { tx } from '../common/i18n.js';

/**
 * @param {{ login: (username: string, password: string) => Promise<object> , onSignedIn: (profile: object) => void }} options
 */
export function createLogin({ login, onSignedIn }) {
  const gate = $('#gate');
  const form = $('#login-form');
  const username = $('#login-username');
  const password = $('#login-password');
  const error = $('#gate-error');

  function setError(key) {
    if (key) tx(error, key);
    else { delete error.dataset.i18n; error.textContent = ''; }
    password.setAttribute('aria-invalid', String(Boolean(key)));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      setError('gate.empty');
      (username.value.trim() ? password : username).focus();
      return;
    }
    try {
      const result = await login(username.value.trim(), password.value);
      password.value = '';
      setError(null);
      onSignedIn(result.agent);
    } catch (err) {
      setError(err?.status === 429 ? 'gate.limited' : err?.status === 401 ? 'gate.wrong' : 'gate.error');
      password.select();
    }
  });

  return {
    show(errorKey) {
      gate.hidden = false;
      setError(errorKey ?? null);
      (username.value ? password : username).focus();
    },
    hide() { gate.hidden = true; },
  };
}
