import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, currentLanguage, setLanguage } from '../../i18n';
import './LanguageToggle.css';

/** Each language named in itself, so a person finds theirs whatever is shown. */
const LANGUAGE_NAMES: Record<Language, string> = { vi: 'Tiếng Việt', en: 'English' };

/**
 * Tiếng Việt | English: switches every text and format of the page at once,
 * remembered on this browser, with `<html lang>` following for screen readers.
 */
export function LanguageToggle({ className }: { className?: string }) {
  // Subscribes to the language: the pressed button follows a switch made anywhere.
  const { t } = useTranslation('common');
  const current = currentLanguage();
  return (
    <div role="group" aria-label={t('language.label')} className={className ? `language-toggle ${className}` : 'language-toggle'}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="language-toggle__option"
          aria-pressed={current === lang}
          onClick={() => {
            if (current !== lang) setLanguage(lang);
          }}
        >
          {LANGUAGE_NAMES[lang]}
        </button>
      ))}
    </div>
  );
}
