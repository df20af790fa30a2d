import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { homePath } from '../../app/routes';
import { useLiveConnection, useLiveTopic } from '../../lib/live';
import { liveKpis } from '../../lib/liveFigures';
import { periodRange } from '../../lib/period';
import { useIndexV2 } from '../../lib/useIndexV2';
import { useRefreshWhileLoading } from '../../lib/useRefreshWhileLoading';
import { useIndexRanking } from '../overview/useIndexRanking';
import { liveIndicator, summarizeTopics } from '../../lib/liveStatus';
import { useSession } from '../auth/useAuth';
import { LiveStatus } from '../overview/RefreshStatus';
import { ruleName } from '../operations/alertList';
import { unlockAudioOnGesture, useSound } from '../operations/sound';
import { useAlertFeed } from '../operations/useAlertFeed';
import { useNewCriticals } from '../operations/useNewCriticals';
import { useNow } from '../operations/useNow';
import { useProvinceNames } from '../../lib/useProvinces';
import { WALL_VIEWS, currentView, everySecondsOf, hashQuery, progressOf } from './rotation';
import { useRotation } from './useRotation';
import { WallAlertsView } from './WallAlertsView';
import { WallClock } from './WallClock';
import { WallMapView } from './WallMapView';
import { WallRankingView } from './WallRankingView';
import { bestAndWorst, cyclesProvinces, provinceAt, wallMapData } from './wallData';
import './wall.css';
import { scopeNameOf } from '../../lib/scopeName';

function useFullscreen(): [boolean, () => void] {
  const [on, setOn] = useState(() => typeof document !== 'undefined' && document.fullscreenElement !== null);
  useEffect(() => {
    const update = () => setOn(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const toggle = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  return [on, toggle];
}

/** Full-screen, dark, auto-rotating views of the person's scope for the IOC's big screens. */
export function WallPage() {
  const { t } = useTranslation('operations');
  const { user, person } = useSession();
  const scope = user.scope;
  const hasChildren = person.scope.kind !== 'commune';
  const [rotation, send] = useRotation(useMemo(() => everySecondsOf(hashQuery(window.location.hash) || window.location.search), []));
  const view = currentView(rotation);

  const summary = useLiveTopic({ scope, view: 'summary', period: 'today' });
  const children = useLiveTopic(hasChildren ? { scope, view: 'children', period: 'today' } : null);
  const alertsTopic = useAlertFeed(scope);
  const connection = useLiveConnection();
  const now = useNow(30_000);
  const provinceName = useProvinceNames();
  const [sound, setSound] = useSound();
  const [fullscreen, toggleFullscreen] = useFullscreen();
  useEffect(() => unlockAudioOnGesture(), []);

  const onArrival = useCallback(() => send({ type: 'critical' }), [send]);
  const criticals = useNewCriticals(alertsTopic.alerts, onArrival);

  const nationKpis = liveKpis(scope, summary.state);
  const rows = children.state?.data ?? null;

  // `?cycle=provinces` on a national wall: each turn of the map shows the next province, its communes and its figures.
  const cycle = useMemo(() => person.scope.kind === 'nation' && cyclesProvinces(hashQuery(window.location.hash) || window.location.search), [person.scope.kind]);
  const [turn, setTurn] = useState(-1);
  useEffect(() => {
    if (cycle && view === 'map') setTurn((n) => n + 1);
  }, [cycle, view]);
  const cycled = cycle && rows ? provinceAt(Object.keys(rows), turn) : null;
  const provinceChildren = useLiveTopic(cycled ? { scope: `province:${cycled}`, view: 'children', period: 'today' } : null);
  const provinceRows = cycled ? (provinceChildren.state?.data ?? null) : null;
  const kpis = cycled && rows?.[cycled] ? rows[cycled] : nationKpis;
  // The kpi-v2 index today: the scope's (the headline tile) and each unit's on the map, read beside the live rows (kpi-v1).
  const today = periodRange('today', new Date());
  const scopeIndex = useIndexV2(scope, today, nationKpis);
  const unitsIndex = useIndexRanking(scope, today, hasChildren);
  const provinceIndex = useIndexRanking(cycled ? `province:${cycled}` : scope, today, cycled !== null);
  useRefreshWhileLoading(unitsIndex, nationKpis);
  useRefreshWhileLoading(provinceIndex, nationKpis);
  const mapIndex = cycled ? provinceIndex.data : unitsIndex.data;
  const indexV2 = cycled ? (unitsIndex.data?.entries.find((e) => e.unitCode === cycled)?.indexV2 ?? null) : scopeIndex.view;
  const mapData = useMemo(() => wallMapData(cycled ? provinceRows : rows, mapIndex), [cycled, provinceRows, rows, mapIndex]);
  const ranking = useMemo(() => bestAndWorst(unitsIndex.data ?? null), [unitsIndex.data]);
  const topics = summarizeTopics(hasChildren ? [summary, children] : [summary]);
  const indicator = liveIndicator(connection, topics);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === ' ' || e.key === 'Spacebar') {
        e.preventDefault();
        send({ type: 'togglePause' });
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        send({ type: 'next' });
      } else if (e.key === 'ArrowLeft') {
        e.preventDefault();
        send({ type: 'previous' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [send]);

  const levelName = person.scope.kind === 'nation' ? t('wall.provinces') : person.scope.kind === 'province' ? t('wall.communes') : null;
  const map = cycled
    ? { level: 'commune' as const, provinceCode: cycled }
    : person.scope.kind === 'nation'
      ? { level: 'province' as const }
      : person.scope.kind === 'province'
        ? { level: 'commune' as const, provinceCode: person.scope.code }
        : null;
  const mapScopeName = cycled && rows?.[cycled] ? rows[cycled].unitName : scopeNameOf(user.scope, user.scopeName);
  const progress = progressOf(rotation);

  return (
    <div className="wall">
      <header className="wall__bar">
        <div className="wall__title">
          <h1>
            {t('wall.title')}{' '}
            <span className="wall__scope">
              — {scopeNameOf(user.scope, user.scopeName)}
              {cycled && view === 'map' ? ` › ${mapScopeName}` : ''}
            </span>
          </h1>
          <nav aria-label={t('wall.views')} className="wall__views">
            {WALL_VIEWS.map((v) => (
              <button key={v} type="button" className="wall__view" aria-current={v === view ? 'true' : undefined} onClick={() => send({ type: 'goto', view: v })}>
                {t(`wall.view.${v}`)}
              </button>
            ))}
          </nav>
        </div>
        <div className="wall__status">
          <LiveStatus indicator={indicator} asOf={topics.asOf} />
          <WallClock />
        </div>
      </header>
      <div
        className="wall__progress"
        role="progressbar"
        aria-label={t('wall.progress', { view: t(`wall.view.${view}`), seconds: Math.round(rotation.periodMs / 1000) })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(progress * 100)}
      >
        <span style={{ transform: `scaleX(${progress})` }} className={rotation.paused ? 'wall__progress-fill wall__progress-fill--paused' : 'wall__progress-fill'} />
      </div>
      <div className="wall__notices">
        {rotation.paused && <p className="wall__paused">{t('wall.paused')}</p>}
        <div className="wall__critical" role="alert">
          {criticals.alerts.length > 0 && (
            <>
              {t('banner.title', { count: criticals.alerts.length })} {criticals.alerts[0]!.unitName} — {ruleName(criticals.alerts[0]!)}
            </>
          )}
        </div>
      </div>

      <main id="main" className="wall__main" aria-live="off">
        <h2 className="visually-hidden">{t(`wall.view.${view}`)}</h2>
        {/* Every view stays mounted (the map keeps its size and tiles); only the current one is visible. */}
        <section className="wall__slot" aria-hidden={view !== 'map'} data-current={view === 'map'}>
          <WallMapView kpis={kpis} indexV2={indexV2} map={map} data={mapData} scopeName={mapScopeName} />
        </section>
        <section className="wall__slot" aria-hidden={view !== 'alerts'} data-current={view === 'alerts'}>
          <WallAlertsView alerts={alertsTopic.alerts} now={now} provinceName={provinceName} newIds={criticals.ids} />
        </section>
        <section className="wall__slot" aria-hidden={view !== 'ranking'} data-current={view === 'ranking'}>
          <WallRankingView best={ranking.best} worst={ranking.worst} scored={ranking.scored} pmax={ranking.pmax} levelName={levelName} />
        </section>
      </main>
      <footer className="wall__foot">
        <p>{t('wall.keys')}</p>
        <div className="wall__controls">
          <button type="button" className="wall__button" onClick={() => send({ type: 'previous' })} aria-label={t('wall.previous')}>
            ‹
          </button>
          <button type="button" className="wall__button" onClick={() => send({ type: 'togglePause' })} aria-pressed={rotation.paused}>
            {rotation.paused ? t('wall.resume') : t('wall.pause')}
          </button>
          <button type="button" className="wall__button" onClick={() => send({ type: 'next' })} aria-label={t('wall.next')}>
            ›
          </button>
          <button type="button" className="wall__button" aria-pressed={sound} onClick={() => setSound(!sound)}>
            {sound ? t('sound.on') : t('sound.off')}
          </button>
          <button type="button" className="wall__button" onClick={toggleFullscreen}>
            {fullscreen ? t('wall.exitFullscreen') : t('wall.fullscreen')}
          </button>
          <Link href={homePath(person)} className="wall__button wall__exit">
            {t('wall.exit')}
          </Link>
        </div>
      </footer>
    </div>
  );
}
