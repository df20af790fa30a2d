import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoAccount } from '@ioc/shared';
import { type AuthNotice, auth, fetchAuthOptions, noticeText } from '../../lib/auth';
import { errorCodeOf } from '../../lib/http';
import { roleLabel } from '../../lib/roleText';
import { signInErrorMessage } from '../../lib/signInMessages';
import { LanguageToggle } from './LanguageToggle';
import './SignInPage.css';
import { scopeNameOf } from '../../lib/scopeName';

/** The demo accounts the server offers (demo mode only); none when it does not answer. */
function useDemoAccounts(): DemoAccount[] {
  const [accounts, setAccounts] = useState<DemoAccount[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    fetchAuthOptions(controller.signal).then(
      (o) => setAccounts(Array.isArray(o.demoAccounts) ? o.demoAccounts : []),
      () => undefined,
    );
    return () => controller.abort();
  }, []);
  return accounts;
}

/** The form's own sign-in, or the username of the demo account being signed in. */
type Pending = { source: 'form' } | { source: 'demo'; username: string } | null;

/** What went wrong, kept as a fact and put in words at each render, so a switch of language rewords it. */
type Problem = { kind: 'no-username' } | { kind: 'no-password' } | { kind: 'refused'; error: unknown; at: number };

export function SignInPage({ notice }: { notice: AuthNotice | null }) {
  const { t } = useTranslation('auth');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const demoAccounts = useDemoAccounts();

  const signIn = async (name: string, secret: string, source: NonNullable<Pending>): Promise<void> => {
    setPending(source);
    setProblem(null);
    try {
      // On success the app shows the signed-in pages and this one goes away.
      await auth.signIn(name, secret);
    } catch (e) {
      setPending(null);
      setProblem({ kind: 'refused', error: e, at: Date.now() });
      if (source.source === 'form' && errorCodeOf(e) === 'UNAUTHORIZED') {
        setPassword('');
        passwordRef.current?.focus();
      }
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    if (username.trim() === '') {
      setProblem({ kind: 'no-username' });
      usernameRef.current?.focus();
      return;
    }
    if (password === '') {
      setProblem({ kind: 'no-password' });
      passwordRef.current?.focus();
      return;
    }
    void signIn(username.trim(), password, { source: 'form' });
  };

  const error =
    problem === null ? null : problem.kind === 'no-username' ? t('signIn.enterUsername') : problem.kind === 'no-password' ? t('signIn.enterPassword') : signInErrorMessage(problem.error, problem.at);

  return (
    <div className="signin">
      <LanguageToggle className="signin__language" />
      <main id="main" className="signin__main">
        <p className="signin__brand">
          <span className="signin__product">{t('brand.product')}</span>
          <span className="signin__subject">{t('brand.subject')}</span>
        </p>

        <section className="signin-card" aria-labelledby="signin-heading">
          <h1 id="signin-heading">{t('signIn.heading')}</h1>
          {notice && (
            <div className="banner banner--info" role="status">
              {noticeText(notice)}
            </div>
          )}
          <form className="signin-form" onSubmit={onSubmit} noValidate aria-describedby={error ? 'signin-error' : undefined}>
            <div className="field">
              <label htmlFor="signin-username">{t('signIn.username')}</label>
              <input
                ref={usernameRef}
                id="signin-username"
                name="username"
                type="text"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                readOnly={pending !== null}
              />
            </div>
            <div className="field">
              <label htmlFor="signin-password">{t('signIn.password')}</label>
              <input
                ref={passwordRef}
                id="signin-password"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                readOnly={pending !== null}
              />
            </div>
            {error && (
              <p id="signin-error" className="signin-form__error" role="alert">
                {error}
              </p>
            )}
            {/* Never disabled while busy: a disabled button would drop the keyboard focus. */}
            <button type="submit" className="button signin-form__submit" aria-disabled={pending !== null}>
              {pending?.source === 'form' ? t('signIn.submitting') : t('signIn.submit')}
            </button>
          </form>
        </section>

        {demoAccounts.length > 0 && (
          <section className="signin-card signin-demo" aria-labelledby="demo-heading">
            <h2 id="demo-heading">{t('demo.heading')}</h2>
            <p className="signin-demo__note">{t('demo.note')}</p>
            <ul className="demo-accounts">
              {demoAccounts.map((a) => {
                const busy = pending?.source === 'demo' && pending.username === a.username;
                return (
                  <li key={a.username} className="demo-account">
                    <div className="demo-account__who">
                      <span className="demo-account__role">{roleLabel(a.role)}</span>
                      <span className="demo-account__scope">{scopeNameOf(a.scope, a.scopeName)}</span>
                      <span className="demo-account__user">{a.username}</span>
                    </div>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={t('demo.signInAs', { username: a.username })}
                      aria-disabled={pending !== null}
                      onClick={() => {
                        if (pending === null) void signIn(a.username, a.password, { source: 'demo', username: a.username });
                      }}
                    >
                      {busy ? t('signIn.submitting') : t('signIn.submit')}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
