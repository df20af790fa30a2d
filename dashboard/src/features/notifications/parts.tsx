import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError, describeError } from '../../lib/http';
import { queryClient } from '../../lib/queryClient';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { ErrorPanel, LoadingRows } from '../../lib/StatePanels';
import { textsOf } from '../../i18n/keys';
import type { FormErrorCode } from './forms';

/** Every notification read shares this key prefix, so a change refreshes them all. */
export const NOTIFICATIONS_KEY = 'notifications';
export const refreshNotifications = () => queryClient.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY] });

/** A notification setting (`name`), read again whenever a panel showing it mounts and after every change. */
export function useSettingsQuery<T>(name: string, fetcher: (signal: AbortSignal) => Promise<T>): QueryState<T> {
  return useApiQuery([NOTIFICATIONS_KEY, name], fetcher, { refetchMs: false, staleMs: 0 });
}

/**
 * Why a change failed, in words: a taken name said as such; other refusals with the
 * server's own explanation (it names the field and the limit), the rest as any request.
 */
export function failureText(e: unknown): string {
  const text = textsOf('notifications');
  if (e instanceof ApiRequestError && e.failure.kind === 'http') {
    const { status, message } = e.failure;
    if (status === 409 && message?.startsWith('name:')) return text('common.conflict');
    if ((status === 400 || status === 409) && message) return text('common.serverSays', { reason: describeError(e), message });
  }
  return describeError(e);
}

/** A notification list loading: its text on screen over grey bars. */
export function Loading({ text }: { text: string }) {
  return <LoadingRows text={text} rows={3} visible className="ntf-loading" />;
}

/** A notification list that could not load, with a retry. */
export function Failure({ text, onRetry, busy }: { text: string; onRetry: () => void; busy: boolean }) {
  const { t } = useTranslation('notifications');
  return <ErrorPanel text={text} retryLabel={t('common.retry')} onRetry={onRetry} retrying={busy} />;
}

export type Outcome = { tone: 'ok' | 'error'; text: string } | null;

/** The result of the last action, read out by screen readers as it changes. */
export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  return (
    <p className={`ntf-outcome ntf-outcome--${outcome?.tone ?? 'none'}`} role="status">
      {outcome?.text ?? ''}
    </p>
  );
}

/** A line saying what went wrong, read out at once. */
export function AlertLine({ text }: { text: string }) {
  return (
    <p className="ntf-outcome ntf-outcome--error" role="alert">
      {text}
    </p>
  );
}

/** A field's error under it, tied to the field with `aria-describedby`. */
export function FieldError({ id, code }: { id: string; code: FormErrorCode | undefined }) {
  const { t } = useTranslation('notifications');
  if (!code) return null;
  return (
    <p id={id} className="ntf-field__error">
      {t(`errors.${code}`)}
    </p>
  );
}

/** `aria-describedby` of a field: its hint and, when there is one, its error. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return list.length ? list.join(' ') : undefined;
}

/**
 * The end of a notification form: the "fix the fields" and failure lines, the submit
 * button (saying it is saving while busy) and, where the form can be left, Cancel.
 */
export function FormFooter({ hasErrors, failure, busy, submitLabel, onCancel }: { hasErrors: boolean; failure?: string | null; busy: boolean; submitLabel: string; onCancel?: () => void }) {
  const { t } = useTranslation('notifications');
  return (
    <>
      {hasErrors && <AlertLine text={t('common.fixErrors')} />}
      {failure && <AlertLine text={failure} />}
      <div className="ntf-form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </>
  );
}

/**
 * Removing one item after a confirmation: `remove` runs the deletion, then says `done`
 * and refreshes every notification read; a refusal stays on the item, said by `failed`.
 */
export function useRemoval(remove: () => Promise<void>, done: () => void, failed: (reason: string) => string) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await remove();
      done();
      await refreshNotifications();
    } catch (e) {
      setError(failed(failureText(e)));
      setBusy(false);
    }
  };
  return { confirming, setConfirming, busy, error, remove: run };
}
