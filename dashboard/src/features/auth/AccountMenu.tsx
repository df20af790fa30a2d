import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from '../../lib/auth';
import { roleLabel } from '../../lib/roleText';
import { signOutErrorMessage } from '../../lib/signInMessages';
import { useSession } from './useAuth';
import { scopeNameOf } from '../../lib/scopeName';

/** Who is signed in (name, role, scope) and the way out. */
export function AccountMenu() {
  const { t } = useTranslation('auth');
  const { user } = useSession();
  const [pending, setPending] = useState(false);
  // The failure itself, put in words at render so a switch of language rewords it.
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);

  const signOut = async () => {
    if (pending) return;
    setPending(true);
    setFailure(null);
    try {
      // On success the app returns to the sign-in screen and this goes away.
      await auth.signOut();
    } catch (e) {
      setPending(false);
      setFailure({ error: e });
    }
  };

  return (
    <div className="account">
      <p className="account__who">
        <span className="visually-hidden">{t('account.signedInAs')}</span>
        <strong className="account__name">{user.displayName}</strong>
        <span className="account__role">
          {roleLabel(user.role)} · {scopeNameOf(user.scope, user.scopeName)}
        </span>
      </p>
      <button type="button" className="button button--secondary button--small" aria-disabled={pending} onClick={() => void signOut()}>
        {pending ? t('account.signingOut') : t('account.signOut')}
      </button>
      {failure && (
        <p className="account__error" role="alert">
          {signOutErrorMessage(failure.error)}
        </p>
      )}
    </div>
  );
}
