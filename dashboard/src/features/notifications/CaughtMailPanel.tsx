import type { CaughtMailResponse } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import type { QueryState } from '../../lib/useApiQuery';
import { EmptyPanel } from '../../lib/StatePanels';
import { Failure, Loading } from './parts';

/** The demo's caught mail, newest first: each opened in place to read its text. */
export function CaughtMailPanel({ mail }: { mail: QueryState<CaughtMailResponse> }) {
  const { t } = useTranslation('notifications');
  const data = mail.data;
  return (
    <section className="panel ntf-panel" aria-labelledby="ntf-mail-heading">
      <div className="panel__head">
        <h2 id="ntf-mail-heading">{t('caughtMail.heading')}</h2>
        <div className="ntf-head-tools">
          {data && <span className="panel__note">{t('caughtMail.count', { count: data.items.length })}</span>}
          <button type="button" className="button button--secondary button--small" onClick={mail.refresh} disabled={mail.fetching}>
            {mail.fetching ? t('common.updating') : t('common.refresh')}
          </button>
        </div>
      </div>
      {data?.address && <p className="panel__note ntf-note">{t('caughtMail.note', { address: data.address })}</p>}
      {!data ? (
        mail.error ? (
          <Failure text={t('caughtMail.error', { reason: describeError(mail.error) })} onRetry={mail.refresh} busy={mail.fetching} />
        ) : (
          <Loading text={t('caughtMail.loading')} />
        )
      ) : data.items.length === 0 ? (
        <EmptyPanel>{t('caughtMail.empty')}</EmptyPanel>
      ) : (
        <ul className="ntf-mail" aria-label={t('caughtMail.list')}>
          {data.items.map((m) => (
            <li key={m.id} className="ntf-mail__item">
              <details>
                <summary>
                  <time dateTime={m.at} className="ntf-mail__at">
                    {formatInstant(m.at)}
                  </time>
                  <span className="ntf-mail__to">{m.to.join(', ')}</span>
                  <span className="ntf-mail__subject">{m.subject || t('caughtMail.noSubject')}</span>
                </summary>
                <dl className="ntf-facts ntf-mail__head">
                  <div>
                    <dt>{t('caughtMail.from')}</dt>
                    <dd>{m.from}</dd>
                  </div>
                  <div>
                    <dt>{t('caughtMail.to')}</dt>
                    <dd>{m.to.join(', ')}</dd>
                  </div>
                  <div>
                    <dt>{t('caughtMail.at')}</dt>
                    <dd>{formatInstant(m.at)}</dd>
                  </div>
                </dl>
                <pre className="ntf-mail__text">{m.text}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
