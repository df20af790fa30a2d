import { useCallback, useEffect, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Commune, type DossierState, type IndexV2View, KPI_VERSION, type UnitRef, can } from '@ioc/shared';
import { formatClock, formatCount, formatDateRange, formatDecimal, formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import { useLiveConnection } from '../../lib/live';
import { liveIndicator, summarizeTopics } from '../../lib/liveStatus';
import { type PeriodPreset, defaultPeriod, periodLabel, periodRange } from '../../lib/period';
import { periodTitle } from '../../lib/periodText';
import { usePeriodParam, useViewParams, withParams } from '../../lib/viewParams';
import { unansweredFeedbackParams } from '../operations/feedback';
import { fetchCommune } from '../../lib/units';
import { useProvinces } from '../../lib/useProvinces';
import { paths } from '../../app/routes';
import { useSession } from '../auth/useAuth';
import { LiveStatus } from '../overview/RefreshStatus';
import { ComparisonPanel } from './ComparisonPanel';
import { comparisonRows } from './comparison';
import { DOSSIER_PAGE_SIZE, DossiersPanel } from './DossiersPanel';
import { unitTypeLabel } from './labels';
import { EmptyPanel, ErrorPanel } from '../../lib/StatePanels';
import { PanelError, SkeletonRows, StaleLine } from './PanelStates';
import { peerGroup } from './peers';
import { PointsLostPanel } from './PointsLostPanel';
import { PointsLostV2Panel } from './PointsLostV2Panel';
import { useIndexV2 } from '../../lib/useIndexV2';
import { ProjectionPanel } from './ProjectionPanel';
import { RankPanel } from './RankPanel';
import { rankIn } from './rankHistory';
import { FIGURES_REFRESH_MS, type ScopeFigures, useCommuneRanking, useDossiers, useProjection, useRankHistory, useScopeFigures } from './useCommuneData';
import { CommuneWhyPanel } from '../readiness/CommuneWhyPanel';
import './commune.css';

/** The periods a chair compares over; each is a rolling period the live stream serves. */
export const COMMUNE_PERIODS = ['today', 'last7', 'thisMonth', 'thisQuarter', 'thisYear'] as const satisfies readonly PeriodPreset[];

function useCommuneUnit(code: string): { commune: Commune | null; error: unknown; retry: () => void } {
  const q = useQuery({ queryKey: ['commune', code], queryFn: () => fetchCommune(code), staleTime: Infinity });
  return { commune: q.data ?? null, error: q.error ?? null, retry: () => void q.refetch() };
}

function PeriodChoice({ value, onChange }: { value: PeriodPreset; onChange: (p: PeriodPreset) => void }) {
  const { t } = useTranslation('commune');
  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">{t('header.period')}</legend>
      <div className="segmented__options">
        {COMMUNE_PERIODS.map((p) => (
          <label key={p} className="segmented__option">
            <input type="radio" name="commune-period" value={p} checked={value === p} onChange={() => onChange(p)} />
            <span>{periodLabel(p)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function FiguresStatus({ figures }: { figures: ScopeFigures[] }) {
  const { t } = useTranslation('commune');
  const connection = useLiveConnection();
  const lives = figures.map((f) => f.live).filter((v) => v !== null);
  if (lives.length === figures.length && lives.length > 0) {
    const topics = summarizeTopics(lives);
    const indicator = liveIndicator(connection, topics);
    return <LiveStatus indicator={indicator} asOf={topics.asOf} />;
  }
  const fetching = figures.some((f) => f.fetching);
  const updatedAt = figures.map((f) => f.updatedAt).find((u) => u !== null) ?? null;
  return (
    <p className="page-header__refresh">
      {fetching && <span className="spinner-dot" aria-hidden="true" />}
      {updatedAt !== null && <span>{t('header.updatedAt', { time: formatClock(updatedAt) })} · </span>}
      <span>{t('header.polling', { seconds: FIGURES_REFRESH_MS / 1000 })}</span>
    </p>
  );
}

function Glance({
  figures,
  provinceRank,
  nationRank,
  toAct,
  indexV2,
}: {
  figures: ScopeFigures;
  /** The national index (kpi-v2): earned of available, shown instead of the kpi-v1 score out of 100. */
  indexV2: IndexV2View | null;
  provinceRank: { rank: number | null; ranked: number } | null;
  nationRank: { rank: number | null; ranked: number } | null;
  toAct: { overdue: number; dueSoon: number } | null;
}) {
  const { t } = useTranslation('commune');
  const { t: ti } = useTranslation('indexV2');
  const index = figures.data?.index ?? null;
  const rankTile = (label: string, r: { rank: number | null; ranked: number } | null) => (
    <div className="commune-tile">
      <dt>{label}</dt>
      <dd className="commune-tile__value">{r === null ? '…' : r.rank === null ? t('glance.unranked') : formatCount(r.rank)}</dd>
      {r !== null && r.rank !== null && <dd className="commune-tile__detail">{t('glance.rankOf', { n: formatCount(r.ranked) })}</dd>}
    </div>
  );
  return (
    <section className="commune-glance" aria-labelledby="glance-heading">
      <h2 id="glance-heading" className="visually-hidden">
        {t('glance.heading')}
      </h2>
      <dl className="commune-tiles">
        {indexV2 ? (
          <div className="commune-tile commune-tile--score">
            <dt>{t('glance.score')}</dt>
            <dd className="commune-tile__value">
              {indexV2.available === 0 ? formatDecimal(null) : formatDecimal(indexV2.earned)}
              {indexV2.available > 0 && <span className="commune-tile__unit"> {ti('card.unit', { available: formatCount(indexV2.available) })}</span>}
            </dd>
            <dd className="commune-tile__detail">
              {indexV2.available === 0
                ? ti('card.none')
                : indexV2.maxPoints > indexV2.available
                  ? ti('card.detail', { missing: formatCount(indexV2.maxPoints - indexV2.available) })
                  : ti('card.detailAll')}
            </dd>
          </div>
        ) : (
          <div className="commune-tile commune-tile--score">
            <dt>{t('glance.score')}</dt>
            <dd className="commune-tile__value">
              {index === null ? '…' : formatDecimal(index.score)}
              {index?.score !== null && index !== null && <span className="commune-tile__unit"> {t('glance.scoreOf')}</span>}
            </dd>
            {index !== null && (
              <dd className="commune-tile__detail">{index.maxPoints === 0 ? t('glance.noScore') : t('glance.scoreDetail', { points: formatDecimal(index.points), max: index.maxPoints })}</dd>
            )}
          </div>
        )}
        {rankTile(t('glance.rankProvince'), provinceRank)}
        {rankTile(t('glance.rankNation'), nationRank)}
        {toAct && (
          <div className={toAct.overdue > 0 ? 'commune-tile commune-tile--alarm' : 'commune-tile'}>
            <dt>{t('glance.toAct')}</dt>
            <dd className="commune-tile__value">{formatCount(toAct.overdue + toAct.dueSoon)}</dd>
            <dd className="commune-tile__detail">{t('glance.toActDetail', { overdue: formatCount(toAct.overdue), dueSoon: formatCount(toAct.dueSoon) })}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function CommuneView({ commune, unit }: { commune: Commune; unit: UnitRef }) {
  const { t } = useTranslation('commune');
  const { person, user } = useSession();
  const [choice, setChoice] = usePeriodParam(COMMUNE_PERIODS, false);
  const preset: PeriodPreset = choice.preset === 'custom' ? defaultPeriod(new Date(), COMMUNE_PERIODS) : choice.preset;
  // The dossier list's filter and page are in the address (`?dossiers=overdue&dpage=2`), like the period.
  const view = useViewParams();
  const dossierParam = view.params.get('dossiers');
  const filter: DossierState | null = dossierParam === 'overdue' || dossierParam === 'due_soon' ? dossierParam : null;
  const page = Math.max(1, Number.parseInt(view.params.get('dpage') ?? '1', 10) || 1);
  const { update } = view;
  const setPage = useCallback((p: number) => update({ dpage: p > 1 ? String(p) : undefined }), [update]);
  const provinces = useProvinces();

  const communeScope = `commune:${commune.code}`;
  const provinceRef: UnitRef = { kind: 'province', code: commune.provinceCode };
  const provinceScope = `province:${commune.provinceCode}`;
  const mayCompare = can(person, 'compare', unit);
  const mayDossiers = can(person, 'dossiers', unit);

  const own = useScopeFigures(communeScope, preset);
  const province = useScopeFigures(can(person, 'figures', provinceRef) ? provinceScope : null, preset);
  const nation = useScopeFigures(can(person, 'figures', { kind: 'nation' }) ? 'nation' : null, preset);
  const provinceRanking = useCommuneRanking(mayCompare ? provinceScope : null, preset);
  const nationRanking = useCommuneRanking(mayCompare ? 'nation' : null, preset, true);
  const history = useRankHistory(mayCompare ? provinceScope : null, commune.code);
  const dossiers = useDossiers(mayDossiers ? communeScope : null, filter, page, DOSSIER_PAGE_SIZE);
  const projection = useProjection(communeScope);

  // A page that no longer exists (the list shrank): go to the last one.
  const pages = dossiers.data ? Math.max(1, Math.ceil(dossiers.data.total / dossiers.data.pageSize)) : null;
  useEffect(() => {
    if (pages !== null && page > pages) setPage(pages);
  }, [page, pages, setPage]);

  const received = own.data?.counts.received ?? null;
  const peers = useMemo(
    () =>
      received === null || !provinceRanking.data ? null : peerGroup({ unitCode: commune.code, unitType: commune.type, received }, provinceRanking.data.entries, nationRanking.data?.entries ?? null),
    [received, provinceRanking.data, nationRanking.data, commune.code, commune.type],
  );
  const rows = useMemo(() => comparisonRows(own.data, province.data, nation.data, peers?.status === 'ok' ? peers.group.medians : null), [own.data, province.data, nation.data, peers]);

  const range = own.data ? { from: own.data.from, to: own.data.to } : periodRange(preset, new Date());
  const periodText = `${periodTitle(preset, own.data?.asOf ?? null)} · ${formatDateRange(range.from, range.to)}`;
  const figuresShown = [own, province, nation].filter((f) => f.enabled);
  // The national index (kpi-v2) comes with the REST figures; beside live figures it is read from /kpis.
  const indexV2 = useIndexV2(own.data ? communeScope : null, own.data ? range : null, own.data);
  // The points lost (first on the page) still loading: the charts below would only seem near the screen until they come.
  const lostPending = own.data !== null && indexV2.view === null && indexV2.error === null && own.data.kpiVersion === 'kpi-v2';
  const openDossiers = mayDossiers
    ? (f: DossierState | null) => {
        view.update({ dossiers: f ?? undefined, dpage: undefined });
        const heading = document.getElementById('dossiers-heading');
        heading?.scrollIntoView({ block: 'start' });
      }
    : null;

  return (
    <div className="page commune">
      <header className="page-header commune-header">
        <div className="page-header__title">
          <p className="commune-header__eyebrow">{t('header.eyebrow')}</p>
          <h1>{commune.fullName}</h1>
          <p className="page-header__meta">
            <span className="commune-type">{unitTypeLabel(commune.type)}</span>
            <span>
              <strong>{commune.provinceName}</strong>
            </span>
            <span>{t('header.code', { code: commune.code })}</span>
            <span>{t('header.range', { range: formatDateRange(range.from, range.to) })}</span>
          </p>
        </div>
        <div className="page-header__side">
          <PeriodChoice value={preset} onChange={(p) => setChoice({ preset: p })} />
          <p className="page-header__asof">{own.data ? t('header.asOf', { time: formatInstant(own.data.asOf) }) : t('header.waiting')}</p>
          <p className="print-only">{t('header.printedAt', { ns: 'overview', time: formatInstant(Date.now()), who: `${user.displayName} (${user.username})` })}</p>
          <FiguresStatus figures={figuresShown} />
        </div>
      </header>

      <main id="main" className="page-main" aria-busy={own.data === null}>
        {own.data === null ? (
          own.error !== null && own.error !== undefined ? (
            <PanelError error={own.error} onRetry={own.refresh} retrying={own.fetching} />
          ) : (
            <SkeletonRows rows={6} />
          )
        ) : (
          <>
            {own.error !== null && own.error !== undefined && <StaleLine error={own.error} onRetry={own.refresh} retrying={own.fetching} />}
            {/* A chair's first question: where the commune loses points, and what to fix first. */}
            {indexV2.view ? (
              <PointsLostV2Panel
                view={indexV2.view}
                periodText={periodText}
                onDossiers={openDossiers}
                feedbackHref={mayDossiers ? withParams(paths.operations(), unansweredFeedbackParams(commune.code)) : null}
              />
            ) : indexV2.error !== null || own.data.kpiVersion !== 'kpi-v2' ? (
              <PointsLostPanel index={own.data.index} kpis={own.data.kpis} periodText={periodText} />
            ) : (
              <section className="panel commune-panel" aria-labelledby="lost-heading" aria-busy="true">
                <h2 id="lost-heading">{t('lost.heading', { ns: 'indexV2' })}</h2>
                <p role="status">{t('lost.loading', { ns: 'indexV2' })}</p>
              </section>
            )}
            <Glance
              figures={own}
              provinceRank={provinceRanking.data ? rankIn(provinceRanking.data.entries, commune.code) : null}
              nationRank={nationRanking.data ? rankIn(nationRanking.data.entries, commune.code) : null}
              toAct={dossiers.data ? { overdue: dossiers.data.totals.overdue, dueSoon: dossiers.data.totals.due_soon } : null}
              indexV2={indexV2.view}
            />
            {/* Beside the KPIs, what may explain them: readiness and the link (association, not proof). */}
            <CommuneWhyPanel code={commune.code} />
            <div className="commune-grid">
              <ComparisonPanel commune={commune} rows={rows} peers={peers} received={received} periodText={periodText} provinces={provinces} holdChart={lostPending} />
              {mayCompare && <RankPanel commune={commune} province={provinceRanking} nation={nationRanking} history={history} periodText={periodText} holdChart={lostPending} />}
            </div>
            {mayDossiers && (
              <DossiersPanel commune={commune} state={dossiers} filter={filter} onFilter={(f) => view.update({ dossiers: f ?? undefined, dpage: undefined })} page={page} onPage={setPage} />
            )}
            <ProjectionPanel state={projection} />
          </>
        )}
      </main>
      <footer className="page-footer">
        <p>{t('page.footer', { version: own.data?.kpiVersion ?? KPI_VERSION })}</p>
      </footer>
    </div>
  );
}

/** A commune against its province, the nation and its peers (commune chairs' home). */
export function CommunePage({ code }: { code: string }) {
  const { t } = useTranslation('commune');
  const { person } = useSession();
  const { commune, error, retry } = useCommuneUnit(code);

  if (!commune) {
    return (
      <main id="main" className="page-main page commune">
        {error !== null ? (
          <ErrorPanel text={t('page.unitError', { reason: describeError(error) })} retryLabel={t('state.retry')} onRetry={retry} small className="commune-error" />
        ) : (
          <>
            <p role="status">{t('page.loadingUnit')}</p>
            <SkeletonRows rows={6} />
          </>
        )}
      </main>
    );
  }
  const unit: UnitRef = { kind: 'commune', code: commune.code, provinceCode: commune.provinceCode };
  if (!can(person, 'figures', unit)) {
    return (
      <main id="main" className="page-main page commune">
        <EmptyPanel hint={t('page.forbiddenHint')}>{t('page.forbidden', { name: `${commune.fullName}, ${commune.provinceName}` })}</EmptyPanel>
      </main>
    );
  }
  return <CommuneView commune={commune} unit={unit} />;
}
