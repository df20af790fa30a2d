import { t } from '../i18n';

/**
 * A scope's name in the language shown. The server names scopes in Vietnamese;
 * provinces and communes are proper names, the same in every language, but the
 * nation ("Cả nước") is a word, said in English in English.
 */
export function scopeNameOf(scope: string, serverName: string): string {
  return scope === 'nation' ? t('nation', { ns: 'app' }) : serverName;
}
