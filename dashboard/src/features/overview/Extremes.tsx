import { useTranslation } from 'react-i18next';
import type { RankingEntry } from '@ioc/shared';
import { Link } from 'wouter';
import type { MapLayer } from '../map/choropleth';
import { measureOf, rankingRows, rankingSpread, spreadText } from './ranking';

interface Props {
  entries: readonly RankingEntry[] | null;
  /** The units' plural: "tỉnh, thành phố", "xã, phường". */
  noun: string;
  linkOf: (e: RankingEntry) => string | null;
  n?: number;
  /** What the entries are ranked by (the map's choice); `points`: the kpi-v1 score. */
  metric?: MapLayer;
}

function Item({ e, href, metric }: { e: RankingEntry; href: string | null; metric: MapLayer }) {
  const m = measureOf(e, metric, true);
  const score = m.bar;
  return (
    <li className="extremes__item">
      <span className="extremes__rank">{e.rank}</span>
      <span className="extremes__name">{href ? <Link href={href}>{e.unitName}</Link> : e.unitName}</span>
      <span className="extremes__bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, score ?? 0))}%` }} />
      </span>
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
  return (
    <section className="panel panel--extremes" aria-labelledby="extremes-heading">
      <div className="panel__head">
        <h2 id="extremes-heading">{t('extremes.heading')}</h2>
      </div>
      {entries === null ? (
        <div className="skeleton-table" aria-hidden="true">
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="skeleton skeleton--row" />
          ))}
        </div>
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
                  <Item key={e.unitCode} e={e} href={linkOf(e)} metric={metric} />
                ))}
              </ol>
            </div>
          ))}
        </div>
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
