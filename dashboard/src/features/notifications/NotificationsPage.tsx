import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../../lib/format';
import { useApiQuery } from '../../lib/useApiQuery';
import { useViewParams } from '../../lib/viewParams';
import { fetchCaughtMail } from './api';
import { CaughtMailPanel } from './CaughtMailPanel';
import { ChannelsPanel } from './ChannelsPanel';
import { DeadLettersPanel } from './DeadLettersPanel';
import { EscalationPanel } from './EscalationPanel';
import { NOTIFICATIONS_KEY } from './parts';
import { SubscriptionsPanel } from './SubscriptionsPanel';
import './notifications.css';

const TABS = ['channels', 'subscriptions', 'escalation', 'deadLetters', 'caughtMail'] as const;
type Tab = (typeof TABS)[number];

/**
 * The administrators' notifications page: channels, subscriptions, escalation, dead
 * letters and, in the demo, the mail the in-process catcher received. The part shown
 * is in the address (`?tab=`), so a link or a reload opens the same one.
 */
export function NotificationsPage() {
  const { t } = useTranslation('notifications');
  const view = useViewParams();
  const asked = TABS.find((x) => x === view.params.get('tab')) ?? 'channels';
  // The catcher runs in demo mode only: its answer says whether there is anything to show.
  const mail = useApiQuery([NOTIFICATIONS_KEY, 'caught-mail'], fetchCaughtMail, { refetchMs: asked === 'caughtMail' ? 5_000 : 30_000 });
  const hasCatcher = mail.data?.enabled === true;
  const tabs: Tab[] = TABS.filter((x) => x !== 'caughtMail' || hasCatcher);
  // A link to the caught mail waits for the catcher's answer rather than jumping elsewhere.
  const tab: Tab = asked === 'caughtMail' && (hasCatcher || mail.data === null) ? 'caughtMail' : tabs.includes(asked) ? asked : 'channels';
  const select = (next: Tab) => view.update({ tab: next === 'channels' ? undefined : next });

  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.indexOf(tab);
    let next: Tab | undefined;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (!next) return;
    e.preventDefault();
    select(next);
    document.getElementById(`ntf-tab-${next}`)?.focus();
  };

  return (
    <main id="main" className="page page-main ntf">
      <header className="ntf__header">
        <h1 className="ntf__title">{t('title')}</h1>
        <p className="ntf__intro">{t('intro')}</p>
      </header>
      <div role="tablist" aria-label={t('tabs.label')} className="ntf-tabs">
        {tabs.map((k) => (
          <button
            key={k}
            id={`ntf-tab-${k}`}
            type="button"
            role="tab"
            aria-selected={tab === k}
            aria-controls="ntf-tabpanel"
            tabIndex={tab === k ? 0 : -1}
            className="ntf-tabs__tab"
            onClick={() => select(k)}
            onKeyDown={onKey}
          >
            {t(`tabs.${k}`)}
            {k === 'caughtMail' && mail.data && <span className="ntf-tabs__count">{formatCount(mail.data.items.length)}</span>}
          </button>
        ))}
      </div>
      <div id="ntf-tabpanel" role="tabpanel" aria-labelledby={`ntf-tab-${tab}`} className="ntf__body">
        {tab === 'channels' && <ChannelsPanel />}
        {tab === 'subscriptions' && <SubscriptionsPanel />}
        {tab === 'escalation' && <EscalationPanel />}
        {tab === 'deadLetters' && <DeadLettersPanel />}
        {tab === 'caughtMail' && <CaughtMailPanel mail={mail} />}
      </div>
    </main>
  );
}
