import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type DemoAccount, ROLE_LABELS } from '@ioc/shared';
import { auth, fetchAuthOptions } from '../../lib/auth';
import { httpStatusOf } from '../../lib/http';
import { signInErrorMessage } from '../../lib/signInMessages';

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

export function SignInPage({ notice }: { notice: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const demoAccounts = useDemoAccounts();

  const signIn = async (name: string, secret: string, source: NonNullable<Pending>): Promise<void> => {
    setPending(source);
    setError(null);
    try {
      // On success the app shows the signed-in pages and this one goes away.
      await auth.signIn(name, secret);
    } catch (e) {
      setPending(null);
      setError(signInErrorMessage(e, Date.now()));
      if (source.source === 'form' && httpStatusOf(e) === 401) {
        setPassword('');
        passwordRef.current?.focus();
      }
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    if (username.trim() === '') {
      setError('Vui lòng nhập tên đăng nhập.');
      usernameRef.current?.focus();
      return;
    }
    if (password === '') {
      setError('Vui lòng nhập mật khẩu.');
      passwordRef.current?.focus();
      return;
    }
    void signIn(username.trim(), password, { source: 'form' });
  };

  return (
    <div className="signin">
      <main id="main" className="signin__main">
        <p className="signin__brand">
          <span className="signin__product">Trung tâm điều hành thông minh</span>
          <span className="signin__subject">Chỉ số phục vụ hành chính công</span>
        </p>

        <section className="signin-card" aria-labelledby="signin-heading">
          <h1 id="signin-heading">Đăng nhập</h1>
          {notice && (
            <div className="banner banner--info" role="status">
              {notice}
            </div>
          )}
          <form className="signin-form" onSubmit={onSubmit} noValidate aria-describedby={error ? 'signin-error' : undefined}>
            <div className="field">
              <label htmlFor="signin-username">Tên đăng nhập</label>
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
              <label htmlFor="signin-password">Mật khẩu</label>
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
              {pending?.source === 'form' ? 'Đang đăng nhập…' : 'Đăng nhập'}
            </button>
          </form>
        </section>

        {demoAccounts.length > 0 && (
          <section className="signin-card signin-demo" aria-labelledby="demo-heading">
            <h2 id="demo-heading">Tài khoản trình diễn</h2>
            <p className="signin-demo__note">Chọn một tài khoản để đăng nhập ngay với vai trò và phạm vi tương ứng.</p>
            <ul className="demo-accounts">
              {demoAccounts.map((a) => {
                const busy = pending?.source === 'demo' && pending.username === a.username;
                return (
                  <li key={a.username} className="demo-account">
                    <div className="demo-account__who">
                      <span className="demo-account__role">{ROLE_LABELS[a.role]?.vi ?? a.role}</span>
                      <span className="demo-account__scope">{a.scopeName}</span>
                      <span className="demo-account__user">{a.username}</span>
                    </div>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-label={`Đăng nhập bằng tài khoản ${a.username}`}
                      aria-disabled={pending !== null}
                      onClick={() => {
                        if (pending === null) void signIn(a.username, a.password, { source: 'demo', username: a.username });
                      }}
                    >
                      {busy ? 'Đang đăng nhập…' : 'Đăng nhập'}
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
