import type { SignInRefusal } from '@ioc/shared';
import { t } from '../i18n';
import { formatHourMinute } from './format';
import { ApiRequestError } from './http';
import type { TextKey } from '../i18n/keys';

const text = (key: TextKey<'auth'>, values: Record<string, unknown> = {}) => t(key, { ns: 'auth', ...values });

/** `42` → `"42 giây"`, `900` → `"15 phút (đến khoảng 14:20)"`: how long to wait, and until when once it is minutes. */
export function formatWait(seconds: number, now: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return text('wait.seconds', { count: s });
  return text('wait.minutes', { count: Math.ceil(s / 60), until: formatHourMinute(now + s * 1000) });
}

/**
 * What the sign-in form says when the server refuses or cannot be reached: the kind
 * of refusal comes from the error's `details.reason` (SignInRefusal in shared).
 */
export function signInErrorMessage(e: unknown, now: number): string {
  if (!(e instanceof ApiRequestError)) return text('signInError.unknown');
  const f = e.failure;
  switch (f.kind) {
    case 'network':
      return text('signInError.network');
    case 'timeout':
      return text('signInError.timeout', { seconds: f.seconds });
    case 'format':
      return text('signInError.format');
    case 'http': {
      const reason = f.reason as SignInRefusal | null | undefined;
      if (f.code === 'UNAUTHORIZED') {
        if (reason === 'deactivated') return text('signInError.deactivated');
        return text('signInError.wrongCredentials');
      }
      if (f.code === 'TOO_MANY_REQUESTS') {
        const wait = f.retryAfterSeconds === null ? text('wait.aFewMinutes') : formatWait(f.retryAfterSeconds, now);
        if (reason === 'locked') return text('signInError.locked', { wait });
        if (reason === 'rate_limited') return text('signInError.rateLimited', { wait });
        return text('signInError.tooManyAttempts', { wait });
      }
      if (f.code === 'BAD_REQUEST' || f.code === 'MALFORMED_JSON') return text('signInError.missingFields');
      if (f.status >= 500) return text('signInError.serverError', { status: f.status });
      return text('signInError.refused', { status: f.status });
    }
  }
}

/** What the header says when signing out fails (the sign-in then still holds). */
export function signOutErrorMessage(e: unknown): string {
  const kind = e instanceof ApiRequestError ? e.failure.kind : null;
  return kind === 'network' || kind === 'timeout' ? text('signOutError.unreachable') : text('signOutError.failed');
}
