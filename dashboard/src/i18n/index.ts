import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { app } from './app';
import { auth } from './auth';
import { commune } from './commune';
import { common } from './common';
import { map } from './map';
import { notifications } from './notifications';
import { operations } from './operations';
import { overview } from './overview';
import { reports } from './reports';
import { sectors } from './sectors';
import { readiness } from './readiness';
import { indexV2 } from './indexV2';

/**
 * The dashboard's languages: Vietnamese by default, English as a toggle. Texts
 * live in one module per feature (a namespace), each with both languages side
 * by side so a missing translation shows in review.
 */
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Number and date formats of each language: vi-VN writes 52,30% and 21/11/2025. */
export const LOCALES: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

const NAMESPACES = { app, common, auth, overview, map, operations, commune, notifications, readiness, reports, sectors, indexV2 } as const;
const STORAGE_KEY = 'ioc.language';

function resourcesOf(lang: Language) {
  return Object.fromEntries(Object.entries(NAMESPACES).map(([ns, texts]) => [ns, texts[lang]]));
}

function storedLanguage(): Language {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: storedLanguage(),
  fallbackLng: 'vi',
  supportedLngs: [...LANGUAGES],
  ns: Object.keys(NAMESPACES),
  defaultNS: 'common',
  resources: { vi: resourcesOf('vi'), en: resourcesOf('en') },
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'vi';
}

export function currentLocale(): string {
  return LOCALES[currentLanguage()];
}

/** Switches the language, remembers it on this browser and sets `<html lang>` for screen readers. */
export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  void i18n.changeLanguage(lang);
}

/** `<html lang>` for screen readers and the tab's title, in the language shown. */
function applyToDocument(): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = currentLanguage();
  document.title = `IOC — ${i18n.t('subject', { ns: 'app' })}`;
}
i18n.on('languageChanged', applyToDocument);
// The language restored at init changed before the listener above existed.
applyToDocument();

/** A text of the catalogue in the current language (outside React components). */
export const t = i18n.t.bind(i18n);
