import { useTranslation } from 'react-i18next';
import { KPI_CATALOGUE, type IndexPoints, type KpiDefinition, type KpiResponse, type KpiSet, type SeriesPoint } from '@ioc/shared';
import type { ReactNode } from 'react';
import { formatDecimal, formatPercent, formatRatioParts } from '../../lib/format';
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

/** The ranking key: points earned over the computable index components, out of 100. */
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
      <p className="kpi-card__detail">
        {index.maxPoints === 0 ? t('cards.noComponents') : t('cards.components', { points: formatDecimal(index.points), max: index.maxPoints })}
      </p>
      <Change now={index.score} before={previous === undefined ? undefined : (previous?.score ?? null)} unit="points" />
      <Sparkline values={trend} color={METRIC_COLORS.points} label={t('cards.sparkline', { name: t('cards.index') })} />
      <p className="kpi-card__foot">
        <span>{t('cards.indexNote')}</span>
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
}

export function KpiCards({ current, previous, points }: Props) {
  const trend = (m: Metric) => seriesValues(points, m);
  return (
    <div className="kpi-grid">
      <IndexCard index={current.index} previous={previous === undefined ? undefined : (previous?.index ?? null)} trend={trend('points')} />
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
