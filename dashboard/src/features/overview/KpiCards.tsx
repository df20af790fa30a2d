import { useTranslation } from 'react-i18next';
import { KPI_CATALOGUE, type IndexPoints, type IndexV2View, type KpiDefinition, type KpiResponse, type KpiSet, type SeriesPoint } from '@ioc/shared';
import type { ReactNode } from 'react';
import { formatCount, formatDecimal, formatPercent, formatRatioParts } from '../../lib/format';
import { barPercent, missingPoints } from '../../lib/indexV2';
import { kpiName, kpiReference } from '../../lib/kpiText';
import { Sparkline } from './Sparkline';
import { METRIC_COLORS, type Metric, change, seriesValues } from './trend';

function Meter({ value, target }: { value: number | null; target: number | null }) {
  const width = value === null ? 0 : Math.min(100, Math.max(0, value));
  return (
    <div className="meter" aria-hidden="true">
      <div className="meter__fill" style={{ width: `${width}%` }} />
      {target !== null && target < 100 && <div className="meter__target" style={{ left: `${target}%` }} />}
    </div>
  );
}

/** "▲ 2,30 điểm" against the previous period; arrows and words, so colour is not the only cue. */
function Change({ now, before, unit }: { now: number | null; before: number | null | undefined; unit: 'pp' | 'points' }) {
  const { t } = useTranslation('overview');
  if (before === undefined) return <p className="kpi-card__change kpi-card__change--pending">{t('cards.changePending')}</p>;
  const d = change(now, before);
  if (d === null) return <p className="kpi-card__change">{t('cards.noChange')}</p>;
  const dir = d > 0 ? 'up' : d < 0 ? 'down' : 'flat';
  const text = t(`cards.change.${dir}`, { value: formatDecimal(Math.abs(d)), unit: t(`cards.unit.${unit}`) });
  return (
    <p className={`kpi-card__change kpi-card__change--${dir}`}>
      <span aria-hidden="true">{dir === 'up' ? '▲' : dir === 'down' ? '▼' : '■'}</span> {text}
    </p>
  );
}

interface CardProps {
  def: KpiDefinition;
  kpis: KpiSet;
  previous: KpiSet | null | undefined;
  trend: (number | null)[];
}

function KpiCard({ def, kpis, previous, trend }: CardProps) {
  const { t } = useTranslation('overview');
  const titleId = `kpi-${def.id}`;
  let value: number | null;
  let detail: ReactNode;
  if (def.id === 'satisfaction') {
    const s = kpis.satisfaction;
    value = s.value;
    detail =
      s.value === null ? (
        t('cards.noResolved')
      ) : (
        <>
          <span className="nowrap">{t('cards.overdue', { value: formatPercent(s.overduePercent) })}</span> ·{' '}
          <span className="nowrap">{t('cards.complaints', { value: formatPercent(s.complaintPercent) })}</span>
        </>
      );
  } else {
    const r = kpis[def.id];
    value = r.value;
    if (r.denominator === 0) {
      // Say which dossiers are missing: those the KPI's denominator counts.
      detail = t(def.id === 'eResult' ? 'cards.noResolved' : def.id === 'onlinePayment' ? 'cards.noFeeBearing' : def.id === 'fullOnline' ? 'cards.noFullOnlineEligible' : 'cards.noDossiers');
    } else {
      const [num, den] = formatRatioParts(r.numerator, r.denominator);
      detail = (
        <>
          <span className="nowrap">{num}</span> <span className="nowrap">{den}</span>
        </>
      );
    }
  }
  const before = previous === undefined ? undefined : previous === null ? null : def.id === 'satisfaction' ? previous.satisfaction.value : previous[def.id].value;
  const target = def.fullScoreAt;
  return (
    <article className="kpi-card" aria-labelledby={titleId}>
      <h3 id={titleId} className="kpi-card__name">
        {kpiName(def)}
      </h3>
      <p className={value === null ? 'kpi-card__value kpi-card__value--empty' : 'kpi-card__value'}>
        {formatPercent(value)}
        {value === null && <span className="visually-hidden"> {t('cards.noValue')}</span>}
      </p>
      <Meter value={value} target={target} />
      <p className="kpi-card__detail">{detail}</p>
      <Change now={value} before={before} unit="pp" />
      <Sparkline values={trend} color={METRIC_COLORS[def.id]} label={t('cards.sparkline', { name: kpiName(def) })} />
      <p className="kpi-card__foot">
        <span>{kpiReference(def)}</span>
        {target !== null && <span>{target < 100 ? t('cards.target', { value: target }) : t('cards.target100')}</span>}
        {target === null && <span>{t('cards.noTarget')}</span>}
      </p>
    </article>
  );
}

/** The kpi-v1 index, out of 100: shown only where the answer carries no national index (kpi-v2). */
function IndexCard({ index, previous, trend }: { index: IndexPoints; previous: IndexPoints | null | undefined; trend: (number | null)[] }) {
  const { t } = useTranslation('overview');
  return (
    <article className="kpi-card kpi-card--index" aria-labelledby="kpi-index">
      <h3 id="kpi-index" className="kpi-card__name">
        {t('cards.index')}
      </h3>
      <p className={index.score === null ? 'kpi-card__value kpi-card__value--empty' : 'kpi-card__value'}>
        {formatDecimal(index.score)}
        {index.score !== null && <span className="kpi-card__unit">/ 100</span>}
        {index.score === null && <span className="visually-hidden"> {t('cards.noValue')}</span>}
      </p>
      <Meter value={index.score} target={null} />
      <p className="kpi-card__detail">{index.maxPoints === 0 ? t('cards.noComponents') : t('cards.components', { points: formatDecimal(index.points), max: index.maxPoints })}</p>
      <Change now={index.score} before={previous === undefined ? undefined : (previous?.score ?? null)} unit="points" />
      <Sparkline values={trend} color={METRIC_COLORS.points} label={t('cards.sparkline', { name: t('cards.index') })} />
      <p className="kpi-card__foot">
        <span>{t('cards.indexNote')}</span>
      </p>
    </article>
  );
}

/**
 * The national index (Decision 766, kpi-v2): points earned of the points that
 * have data ("52,08 / 64"), never rescaled to 100; the points without data named.
 * `view` undefined while it comes. Compared with the period before only over the
 * same available points.
 */
function IndexV2Card({ view, previous }: { view: IndexV2View | undefined; previous: IndexV2View | null | undefined }) {
  const { t } = useTranslation('overview');
  const { t: ti } = useTranslation('indexV2');
  const has = view !== undefined && view.available > 0;
  const before = previous === undefined ? undefined : previous && view && previous.available === view.available && previous.available > 0 ? previous.earned : null;
  return (
    <article className="kpi-card kpi-card--index" aria-labelledby="kpi-index" data-index-version="kpi-v2">
      <h3 id="kpi-index" className="kpi-card__name">
        {t('cards.index')}
      </h3>
      <p className={has ? 'kpi-card__value' : 'kpi-card__value kpi-card__value--empty'}>
        {view === undefined ? '…' : has ? formatDecimal(view.earned) : formatDecimal(null)}
        {has && ' '}
        {has && <span className="kpi-card__unit">{ti('card.unit', { available: formatCount(view.available) })}</span>}
        {view !== undefined && !has && <span className="visually-hidden"> {t('cards.noValue')}</span>}
      </p>
      {has ? (
        <div className="meter" role="img" aria-label={ti('card.meter', { earned: formatDecimal(view.earned), available: formatCount(view.available) })}>
          <div className="meter__fill" style={{ width: `${barPercent(view.earned, view.available)}%` }} />
        </div>
      ) : (
        <Meter value={null} target={null} />
      )}
      <p className="kpi-card__detail">
        {view === undefined ? '' : !has ? ti('card.none') : missingPoints(view) > 0 ? ti('card.detail', { missing: formatCount(missingPoints(view)) }) : ti('card.detailAll')}
      </p>
      {view !== undefined && <Change now={has ? view.earned : null} before={before} unit="points" />}
      <p className="kpi-card__foot">
        <span>{ti('card.note')}</span>
      </p>
    </article>
  );
}

interface Props {
  current: KpiResponse;
  /** The period before: undefined while it comes, null when it could not be read. */
  previous: KpiResponse | null | undefined;
  /** The period's series, for the sparklines (empty while it comes). */
  points: readonly SeriesPoint[];
  /**
   * The national index (kpi-v2) of the period: `loading` while it comes; null when the
   * answer has none (the kpi-v1 index out of 100 is shown then); by default `current`'s.
   */
  indexV2?: IndexV2View | null | 'loading';
  /** The national index of the period before: undefined while it comes, null when not known. */
  previousIndexV2?: IndexV2View | null;
}

export function KpiCards({ current, previous, points, indexV2, previousIndexV2 }: Props) {
  const trend = (m: Metric) => seriesValues(points, m);
  const v2 = indexV2 === undefined ? (current.indexV2 ?? null) : indexV2 === 'loading' ? undefined : indexV2;
  return (
    <div className="kpi-grid">
      {v2 === null ? (
        <IndexCard index={current.index} previous={previous === undefined ? undefined : (previous?.index ?? null)} trend={trend('points')} />
      ) : (
        <IndexV2Card view={v2} previous={previousIndexV2} />
      )}
      {KPI_CATALOGUE.map((def) => (
        <KpiCard key={def.id} def={def} kpis={current.kpis} previous={previous === undefined ? undefined : (previous?.kpis ?? null)} trend={trend(def.id)} />
      ))}
    </div>
  );
}

export function KpiCardsSkeleton() {
  const { t } = useTranslation('overview');
  return (
    <div className="kpi-grid" aria-hidden="true">
      {[{ id: 'index', name: t('cards.index') }, ...KPI_CATALOGUE.map((d) => ({ id: d.id, name: kpiName(d) }))].map((d) => (
        <div key={d.id} className="kpi-card kpi-card--skeleton">
          <p className="kpi-card__name">{d.name}</p>
          <div className="skeleton skeleton--value" />
          <div className="skeleton skeleton--line" />
          <div className="skeleton skeleton--line skeleton--short" />
        </div>
      ))}
    </div>
  );
}
