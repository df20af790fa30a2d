import { useTranslation } from 'react-i18next';
import { type RankingEntry, commonIndexPoints, pmaxOf } from '@ioc/shared';
import { Link } from 'wouter';
import { formatCount, formatDecimal } from '../../lib/format';
import { SkeletonTable } from '../../lib/StatePanels';
import type { MapLayer } from '../map/choropleth';
import { measureOf, rankingRows, rankingSpread, spreadText } from './ranking';

/** The set a ranking by the kpi-v2 index compares on: the sub-indicators every unit with data has, and their Pmax total. */
export interface CommonSet {
  count: number;
  pmax: number;
}

/** The common set of the entries, as `/rankings?by=index` finds it from the same units' points; null when no unit has an index. */
export function commonSetOf(entries: readonly RankingEntry[]): CommonSet | null {
  const summaries = entries.flatMap((e) => (e.indexV2 ? [e.indexV2] : []));
  if (!summaries.some((s) => s.available > 0)) return null;
  const { common } = commonIndexPoints(summaries);
  return { count: common.length, pmax: pmaxOf(common) };
}

interface Props {
  entries: readonly RankingEntry[] | null;
  /** The units' plural: "tỉnh, thành phố", "xã, phường". */
  noun: string;
  linkOf: (e: RankingEntry) => string | null;
  n?: number;
  /** What the entries are ranked by (the map's choice); `points`: the kpi-v1 score. */
  metric?: MapLayer;
}

function Item({ e, href, metric, common }: { e: RankingEntry; href: string | null; metric: MapLayer; common: CommonSet | null }) {
  const { t } = useTranslation('overview');
  const name = <span className="extremes__name">{href ? <Link href={href}>{e.unitName}</Link> : e.unitName}</span>;
  const bar = (score: number | null) => (
    <span className="extremes__bar" aria-hidden="true">
      <span style={{ width: `${Math.min(100, Math.max(0, score ?? 0))}%` }} />
    </span>
  );
  // By the index, a unit is ranked on its comparable points (`value`), not on its own earned of available.
  if (metric === 'index' && common && common.pmax > 0 && e.value !== null) {
    const own = e.indexV2 && e.indexV2.available > 0 ? { earned: formatDecimal(e.indexV2.earned), available: formatCount(e.indexV2.available) } : null;
    const value = formatDecimal(e.value);
    const pmax = formatCount(common.pmax);
    return (
      <li className="extremes__item" data-unit={e.unitCode}>
        <span className="extremes__rank">{e.rank}</span>
        {name}
        {bar((e.value / common.pmax) * 100)}
        <span className="extremes__score" title={own ? t('extremes.comparableTitle', { value, pmax, ...own }) : undefined}>
          <span className="extremes__comparable">{`${value}/${pmax}`}</span>
          {own && <span className="visually-hidden">{` (${t('extremes.own', own)})`}</span>}
        </span>
      </li>
    );
  }
  const m = measureOf(e, metric, true);
  return (
    <li className="extremes__item" data-unit={e.unitCode}>
      <span className="extremes__rank">{e.rank}</span>
      {name}
      {bar(m.bar)}
      <span className="extremes__score" title={metric === 'points' || metric === 'links' ? undefined : measureOf(e, metric).text}>
        {m.text}
      </span>
    </li>
  );
}

/**
 * The best and the worst units of the ranking side by side, beside the map, so
 * a leader sees both ends on the first screen; the full table is further down.
 */
export function Extremes({ entries, noun, linkOf, n = 5, metric = 'points' }: Props) {
  const { t } = useTranslation('overview');
  const spread = entries ? rankingSpread(entries, (e) => e.value) : null;
  const ranked = entries?.filter((e) => e.rank !== null).length ?? 0;
  const shown = Math.min(n, Math.floor(ranked / 2));
  const common = metric === 'index' && entries ? commonSetOf(entries) : null;
  return (
    <section className="panel panel--extremes" aria-labelledby="extremes-heading">
      <div className="panel__head">
        <h2 id="extremes-heading">{t('extremes.heading')}</h2>
      </div>
      {entries === null ? (
        <SkeletonTable rows={6} />
      ) : spread?.kind !== 'ranked' || shown === 0 ? (
        <p className="ranking-tie" role="note">
          {entries.length === 0 ? t('ranking.empty') : spreadText(entries, spread ?? { kind: 'none' }, metric, noun)}
        </p>
      ) : (
        <div className="extremes">
          {(['best', 'worst'] as const).map((view) => (
            <div key={view} className="extremes__group">
              <h3 className="extremes__title" id={`extremes-${view}`}>
                {t(`extremes.${view}`, { n: shown, noun })}
              </h3>
              <ol className={`extremes__list extremes__list--${view}`} aria-labelledby={`extremes-${view}`}>
                {rankingRows(entries, view, shown).map((e) => (
                  <Item key={e.unitCode} e={e} href={linkOf(e)} metric={metric} common={common} />
                ))}
              </ol>
            </div>
          ))}
        </div>
      )}
      {entries !== null && spread?.kind === 'ranked' && shown > 0 && common && common.pmax > 0 && (
        <p className="extremes__basis panel__note">{t('extremes.comparableNote', { n: common.count, pmax: formatCount(common.pmax) })}</p>
      )}
      <p className="extremes__more">
        {/* The addresses are routes: scroll to the table rather than follow an anchor. */}
        <button type="button" className="link-button" onClick={() => document.getElementById('ranking-heading')?.scrollIntoView({ block: 'start' })}>
          {t('extremes.all')}
        </button>
      </p>
    </section>
  );
}
