import { useTranslation } from 'react-i18next';
import type { RankingEntry } from '@ioc/shared';
import type { MapLayer } from '../map/choropleth';
import { metricName } from '../map/format';
import { describeError } from '../../lib/http';
import { formatDateRange } from '../../lib/format';
import type { ExportInfo } from './exportInfo';
import type { RankingView } from './ranking';
import { RankingTable } from './RankingTable';
import { EmptyPanel, SkeletonTable } from '../../lib/StatePanels';
import { type UnitsBelow, capitalize } from './unitsBelow';

interface Props {
  /** `pending` until the units below the scope are known; `none` when the person may not compare them. */
  mode: 'pending' | 'none' | 'shown';
  units: UnitsBelow | null;
  unitsError: unknown;
  /** The units ranked by `metric`, with the period; null while they come. */
  rankings: { from: string; to: string; entries: readonly RankingEntry[] } | null;
  /** What colours the map: the table ranks by it and shows it. */
  metric?: MapLayer;
  /** By the kpi-v2 index: the sub-indicators every unit with data has, which the ranking compares on. */
  common?: { count: number; pmax: number } | null;
  /** The kpi-v2 index of each unit could not be read. */
  indexError?: unknown;
  scopeName: string;
  nation: boolean;
  linkOf: (e: RankingEntry) => string | null;
  selected?: string | null;
  exportInfo: ExportInfo;
  /** The view the address names (`?rank=worst`); null: the table's own default. */
  view: RankingView | null;
  onView: (v: RankingView) => void;
}

/** The ranking of the units below the scope, or why there is none to show. */
export function RankingPanel({ mode, units, unitsError, rankings, metric = 'points', common = null, indexError = null, scopeName, nation, linkOf, selected, exportInfo, view, onView }: Props) {
  const { t } = useTranslation('overview');
  if (mode === 'none') {
    return (
      <section className="panel panel--ranking" aria-labelledby="ranking-heading">
        <div className="panel__head">
          <h2 id="ranking-heading">{t('ranking.belowHeading')}</h2>
        </div>
        <p className="panel__text">{t('ranking.forbidden', { scope: scopeName })}</p>
      </section>
    );
  }
  const noun = units?.noun ?? (nation ? t('units.provinces') : t('units.below'));
  const heading = units ? t('ranking.heading', { count: units.refs.length, noun }) : t('ranking.headingPending', { noun });
  return (
    <section className="panel panel--ranking" aria-labelledby="ranking-heading">
      <div className="panel__head">
        <h2 id="ranking-heading">{heading}</h2>
        <p className="panel__note">{t('ranking.note', { metric: metricName(metric === 'links' ? 'points' : metric) })}</p>
        {metric === 'index' && common && <p className="panel__note">{t('ranking.commonNote', { count: common.count, pmax: common.pmax })}</p>}
      </div>
      {indexError !== null && (
        <p className="panel__note" role="alert">
          {t('ranking.indexFailed', { reason: describeError(indexError) })}
        </p>
      )}
      {mode === 'pending' && unitsError !== null ? (
        <EmptyPanel>{t('ranking.unitsFailed', { reason: describeError(unitsError) })}</EmptyPanel>
      ) : rankings === null ? (
        <SkeletonTable rows={10} />
      ) : rankings.entries.length === 0 ? (
        <EmptyPanel>{t('ranking.empty')}</EmptyPanel>
      ) : (
        <RankingTable
          entries={rankings.entries}
          unitHeader={capitalize(noun)}
          caption={t('ranking.caption', {
            noun,
            of: nation ? '' : t('ranking.of', { scope: scopeName }),
            metric: metricName(metric === 'links' ? 'points' : metric),
            period: formatDateRange(rankings.from, rankings.to),
          })}
          linkOf={linkOf}
          selected={selected}
          exportInfo={exportInfo}
          noun={noun}
          view={view}
          onView={onView}
          metric={metric}
        />
      )}
    </section>
  );
}
