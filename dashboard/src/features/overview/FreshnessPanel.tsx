import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { SILENT_AFTER_MINUTES, localDateOf } from '@ioc/shared';
import { formatHourMinute, formatInstant, formatLocalDate } from '../../lib/format';
import { isSilent } from '../map/choropleth';

export interface SilentUnit {
  code: string;
  name: string;
  lastEventAt: string | null;
}

/** Units silent for longer than `minutes` at `nowMs`, the longest silent first (never heard from: first of all). */
export function silentUnits(lastEvents: Readonly<Record<string, string | null>>, names: Readonly<Record<string, string>>, nowMs: number, minutes: number): SilentUnit[] {
  return Object.entries(lastEvents)
    .filter(([, at]) => isSilent(at, nowMs, minutes))
    .map(([code, at]) => ({ code, name: names[code] ?? code, lastEventAt: at }))
    .sort((a, b) => (a.lastEventAt ?? '').localeCompare(b.lastEventAt ?? '') || a.name.localeCompare(b.name, 'vi'));
}

/** The data-freshness list: units that stopped delivering events, and since when. */
export function FreshnessPanel({ units, total, linkOf }: { units: SilentUnit[]; total: number; linkOf: (code: string) => string | null }) {
  const { t } = useTranslation('overview');
  return (
    <section className="panel panel--freshness" aria-labelledby="freshness-heading">
      <div className="panel__head">
        <h2 id="freshness-heading">{t('freshness.heading', { count: units.length, total })}</h2>
        <p className="panel__note">{t('freshness.note', { hours: SILENT_AFTER_MINUTES / 60 })}</p>
      </div>
      {units.length === 0 ? (
        <p className="panel__text">{t('freshness.none')}</p>
      ) : (
        <ul className="silent-list">
          {units.slice(0, 50).map((u) => {
            const href = linkOf(u.code);
            return (
              <li key={u.code}>
                {href ? <Link href={href}>{u.name}</Link> : u.name}{' '}
                <span className="silent-list__since" title={u.lastEventAt ? formatInstant(u.lastEventAt) : undefined}>
                  {u.lastEventAt ? t('freshness.since', { time: formatHourMinute(u.lastEventAt), date: formatLocalDate(localDateOf(Date.parse(u.lastEventAt))) }) : t('freshness.never')}
                </span>
              </li>
            );
          })}
          {units.length > 50 && <li>{t('freshness.more', { count: units.length - 50 })}</li>}
        </ul>
      )}
    </section>
  );
}
