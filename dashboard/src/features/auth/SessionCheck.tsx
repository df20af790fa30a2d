import { useTranslation } from 'react-i18next';

/** Shown at page load while the refresh cookie is checked, so a signed-in person never sees the sign-in form flash by. */
export function SessionCheck() {
  const { t } = useTranslation('auth');
  return (
    <div className="signin">
      <main id="main" className="signin__main">
        <p className="signin__checking" role="status">
          <span className="spinner-dot" aria-hidden="true" />
          {t('session.checking')}
        </p>
      </main>
    </div>
  );
}
