import { useState } from 'react';
import { ROLE_LABELS } from '@ioc/shared';
import { auth } from '../../lib/auth';
import { signOutErrorMessage } from '../../lib/signInMessages';
import { useSession } from './useAuth';

/** Who is signed in (name, role, scope) and the way out. */
export function AccountMenu() {
  const { user } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signOut = async () => {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      // On success the app returns to the sign-in screen and this goes away.
      await auth.signOut();
    } catch (e) {
      setPending(false);
      setError(signOutErrorMessage(e));
    }
  };

  return (
    <div className="account">
      <p className="account__who">
        <span className="visually-hidden">Đang đăng nhập: </span>
        <strong className="account__name">{user.displayName}</strong>
        <span className="account__role">
          {ROLE_LABELS[user.role]?.vi ?? user.role} · {user.scopeName}
        </span>
      </p>
      <button type="button" className="button button--secondary button--small" aria-disabled={pending} onClick={() => void signOut()}>
        {pending ? 'Đang đăng xuất…' : 'Đăng xuất'}
      </button>
      {error && (
        <p className="account__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
