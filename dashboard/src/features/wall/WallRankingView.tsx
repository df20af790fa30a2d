import type { RankingEntry } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { formatDecimal, formatPercent } from '../../lib/format';

interface Props {
  best: RankingEntry[];
  worst: RankingEntry[];
  /** Units with a score today. */
  scored: number;
  /** The maximum of the compared points (the sub-indicators every ranked unit has). */
  pmax: number | null;
  /** Units of the ranking: 34 provinces or the province's communes; null when the scope has none below it. */
  levelName: string | null;
}

function List({ title, entries, tone, empty, pmax }: { title: string; entries: RankingEntry[]; tone: 'best' | 'worst'; empty: string; pmax: number | null }) {
  const { t } = useTranslation('operations');
  return (
    <section className={`wall-rank wall-rank--${tone}`} aria-label={title}>
      <h2>{title}</h2>
      {entries.length === 0 ? (
        <p className="wall-empty">{empty}</p>
      ) : (
        <ol>
          {entries.map((e) => (
            <li key={e.unitCode}>
              <span className="wall-rank__rank">{e.rank}</span>
              <span className="wall-rank__name">{e.unitName}</span>
              <span className="wall-rank__score">
                {formatDecimal(e.value)}
                <small>
                  {pmax !== null ? `/${formatDecimal(pmax)} ` : ' '}
                  {t('wall.pointsUnit')}
                </small>
              </span>
              <span className="wall-rank__ontime">{formatPercent(e.kpis.onTime.value)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Best and worst five units of the scope by the kpi-v2 index today (compared points). */
export function WallRankingView({ best, worst, scored, pmax, levelName }: Props) {
  const { t } = useTranslation('operations');
  if (levelName === null) return <p className="wall-empty">{t('wall.noRankingForCommune')}</p>;
  return (
    <div className="wall-view wall-view--ranking">
      <List title={t('wall.best', { level: levelName })} entries={best} tone="best" pmax={pmax} empty={t('wall.noRanking')} />
      <List title={t('wall.worst', { level: levelName })} entries={worst} tone="worst" pmax={pmax} empty={scored > 0 ? t('wall.fewRanked', { n: scored }) : t('wall.noRanking')} />
      <p className="wall-rank__note">{t('wall.rankingNote', { pmax: formatDecimal(pmax) })}</p>
    </div>
  );
}
