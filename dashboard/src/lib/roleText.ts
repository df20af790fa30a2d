import { ROLE_LABELS, type Role } from '@ioc/shared';
import { currentLanguage } from '../i18n';

/** A role's name in the current language: `leader` → "Lãnh đạo" / "Leader"; an unknown role as sent. */
export function roleLabel(role: Role): string {
  return ROLE_LABELS[role]?.[currentLanguage()] ?? role;
}
