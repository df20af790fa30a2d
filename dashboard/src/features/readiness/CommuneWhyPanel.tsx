import { useTranslation } from 'react-i18next';
import { type CommuneLink, type ConnectivityTimeline, type LinkInterval, READINESS_FIELDS, type ReadinessDetail, addDays } from '@ioc/shared';
import { formatCount, formatInstant, formatLocalDate, formatPercent } from '../../lib/format';
import { describeError } from '../../lib/http';
import { vietnamDateOf } from '../../lib/period';
import { useApiQuery } from '../../lib/useApiQuery';
import { fetchLink, fetchLinkTimeline, fetchReadiness } from './api';
import { formatReadinessValue, formatTarget, isReady } from './format';
import './readiness.css';

const REFRESH_MS = 60_000;
const TIMELINE_DAYS = 7;

/**
 * Beside a commune's KPIs, what may explain them: its readiness profile (each value
 * with its date, source and versions) and its link (state now, the last 7 days).
 * Association, not proof: the panel says so.
 */
export function CommuneWhyPanel({ code }: { code: string }) {
  const { t } = useTranslation('readiness');
  const today = vietnamDateOf(new Date());
  const from = addDays(today, -(TIMELINE_DAYS - 1));
  const readiness = useApiQuery(['readiness', code], (s) => fetchReadiness(code, s), { refetchMs: 5 * REFRESH_MS });
  const link = useApiQuery(['connectivity', `commune:${code}`], (s) => fetchLink(code, s), { refetchMs: REFRESH_MS });
  const timeline = useApiQuery(['connectivity-timeline', code, from, today], (s) => fetchLinkTimeline(code, from, today, s), { refetchMs: REFRESH_MS });
  return (
    <section className="panel commune-panel why-commune" aria-labelledby="why-commune-heading" data-testid="commune-why">
      <div className="panel__head">
        <h2 id="why-commune-heading">{t('commune.heading')}</h2>
        <p className="panel__note why-note" role="note">
          {t('note')}
        </p>
      </div>
      <div className="why-commune__grid">
        <div>
          <h3 className="subheading">{t('commune.readinessHeading')}</h3>
          {readiness.data ? (
            <ReadinessTable detail={readiness.data} />
          ) : readiness.error ? (
            <p className="state-panel state-panel--error">{t('commune.error', { reason: describeError(readiness.error) })}</p>
          ) : (
            <p className="panel__text">{t('commune.loading')}</p>
          )}
        </div>
        <div>
          <h3 className="subheading">{t('link.heading')}</h3>
          {link.error && !link.data ? <p className="state-panel state-panel--error">{t('link.error', { reason: describeError(link.error) })}</p> : null}
          {link.data?.communes[0] && <LinkNow link={link.data.communes[0]} />}
          {readiness.data?.link && <p className="panel__text">{t('link.month', { up: formatPercent(readiness.data.link.upShare), working: formatCount(readiness.data.link.outageWorkingMinutes) })}</p>}
          {timeline.data && link.data?.communes[0]?.state !== 'unknown' && <LinkTimeline timeline={timeline.data} />}
        </div>
      </div>
    </section>
  );
}

function ReadinessTable({ detail }: { detail: ReadinessDetail }) {
  const { t } = useTranslation('readiness');
  const recorded = READINESS_FIELDS.some((f) => detail.current[f]);
  return (
    <>
      <p className="why-score">{detail.score === null ? t('commune.scoreNone') : t('commune.score', { score: formatPercent(detail.score) })}</p>
      {!recorded && <p className="panel__text">{t('commune.empty')}</p>}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('commune.readinessHeading')}>
        <table className="ranking why-table">
          <thead>
            <tr>
              <th scope="col">{t('commune.field')}</th>
              <th scope="col" className="num">
                {t('commune.value')}
              </th>
              <th scope="col" className="num">
                {t('commune.target')}
              </th>
              <th scope="col">{t('commune.asOf')}</th>
              <th scope="col">{t('commune.source')}</th>
              <th scope="col">{t('commune.versions')}</th>
            </tr>
          </thead>
          <tbody>
            {READINESS_FIELDS.map((f) => {
              const cur = detail.current[f];
              const history = detail.history[f] ?? [];
              return (
                <tr key={f} className={cur ? (isReady(f, cur.value) ? 'why-row--ready' : 'why-row--gap') : 'why-row--missing'}>
                  <th scope="row">{t(`fields.${f}`)}</th>
                  <td className="num">{formatReadinessValue(f, cur?.value)}</td>
                  <td className="num">{formatTarget(f)}</td>
                  <td>{cur ? formatLocalDate(cur.asOf) : ''}</td>
                  <td>{cur?.source ?? ''}</td>
                  <td>
                    {history.length > 1 ? (
                      <details>
                        <summary>{t('commune.versionsCount', { count: history.length })}</summary>
                        <ul className="why-versions">
                          {history.map((v, i) => (
                            <li key={i}>
                              {t('commune.version', { value: formatReadinessValue(f, v.value), asOf: formatLocalDate(v.asOf), source: v.source, who: v.recordedBy, at: formatInstant(v.recordedAt) })}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : history.length === 1 ? (
                      t('commune.versionsCount', { count: 1 })
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function LinkNow({ link }: { link: CommuneLink }) {
  const { t } = useTranslation('readiness');
  if (link.state === 'unknown') return <p className="panel__text">{t('link.noSource')}</p>;
  const reasons = link.reasons.map((r) => t(`link.reason.${r}`)).join(', ');
  const last = link.lastHeartbeat;
  return (
    <>
      <p className={`why-link why-link--${link.state}`} data-testid="link-state">
        <span className="why-link__dot" aria-hidden="true" />
        <strong>{t(`link.state.${link.state}`)}</strong>
        {reasons && <span> ({reasons})</span>}
        {link.since && <span> · {t('link.since', { time: formatInstant(link.since) })}</span>}
      </p>
      {last && (
        <p className="panel__text">
          {t('link.last', { time: formatInstant(last.receivedAt), latency: last.latencyMs === null ? '—' : formatCount(last.latencyMs), backlog: formatCount(last.backlogEvents) })}
        </p>
      )}
    </>
  );
}

const STATES = ['up', 'degraded', 'down', 'unknown'] as const;

/** One bar per local day, coloured by the link's state over it. */
function LinkTimeline({ timeline }: { timeline: ConnectivityTimeline }) {
  const { t } = useTranslation('readiness');
  const days: string[] = [];
  for (let d = timeline.from; d <= timeline.to; d = addDays(d, 1)) days.push(d);
  const dayStart = (d: string) => Date.parse(`${d}T00:00:00+07:00`);
  const workingMinutes = timeline.outages.reduce((a, o) => a + o.workingMinutes, 0);
  return (
    <div className="why-timeline" data-testid="link-timeline">
      <h4 className="why-timeline__heading">{t('link.timelineHeading')}</h4>
      <ul className="why-timeline__days">
        {days.map((d) => {
          const start = dayStart(d);
          const end = start + 86_400_000;
          const parts = clip(timeline.intervals, start, end);
          const minutes = Object.fromEntries(STATES.map((s) => [s, Math.round(parts.filter((p) => p.state === s).reduce((a, p) => a + p.minutes, 0))]));
          const label = t('link.day', { date: formatLocalDate(d), up: formatCount(minutes.up), degraded: formatCount(minutes.degraded), down: formatCount(minutes.down) });
          return (
            <li key={d} className="why-timeline__day">
              <span className="why-timeline__date">{formatLocalDate(d)}</span>
              <span className="why-timeline__bar" role="img" aria-label={label} title={label}>
                {parts.map((p, i) => (
                  <span key={i} className={`why-timeline__seg why-timeline__seg--${p.state}`} style={{ left: `${((p.from - start) / 86_400_000) * 100}%`, width: `${(p.minutes / 1440) * 100}%` }} />
                ))}
              </span>
            </li>
          );
        })}
      </ul>
      <ul className="why-timeline__legend">
        {(['up', 'degraded', 'down'] as const).map((s) => (
          <li key={s}>
            <span className={`why-timeline__swatch why-timeline__seg--${s}`} aria-hidden="true" /> {t(`link.state.${s}`)}
          </li>
        ))}
      </ul>
      <p className="panel__text">{timeline.outages.length === 0 ? t('link.outagesNone') : t('link.outages', { count: timeline.outages.length, working: formatCount(workingMinutes) })}</p>
    </div>
  );
}

function clip(intervals: readonly LinkInterval[], start: number, end: number) {
  const out: { state: LinkInterval['state']; from: number; minutes: number }[] = [];
  for (const i of intervals) {
    const a = Math.max(Date.parse(i.from), start);
    const b = Math.min(Date.parse(i.to), end);
    if (b > a) out.push({ state: i.state, from: a, minutes: (b - a) / 60_000 });
  }
  return out;
}
