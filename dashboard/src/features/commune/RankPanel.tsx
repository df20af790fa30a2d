import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Commune, RankingResponse } from '@ioc/shared';
import { LazyChart } from '../../lib/charts/LazyChart';
import { formatCount, formatDecimal } from '../../lib/format';
import type { QueryState } from '../../lib/useApiQuery';
import { EmptyPanel } from '../../lib/StatePanels';
import { Loaded } from './PanelStates';
import { monthLabel } from './projectionText';
import { type RankPoint, rankIn, toRankHistoryOption } from './rankHistory';
import type { RankHistory } from './useCommuneData';
import { t } from '../../i18n';

interface Props {
  commune: Commune;
  province: QueryState<RankingResponse>;
  /** null: the nation's ranking is not asked for. */
  nation: QueryState<RankingResponse> | null;
  history: QueryState<RankHistory>;
  periodText: string;
  /** The panels above are still loading: the chart's code waits until the page has its layout. */
  holdChart?: boolean;
}

function Position({ label, state, code }: { label: string; state: QueryState<RankingResponse>; code: string }) {
  const { t } = useTranslation('commune');
  return (
    <div className="commune-rank">
      <p className="commune-rank__label">{label}</p>
      <Loaded {...state} rows={1}>
        {(r) => {
          const { rank, ranked } = rankIn(r.entries, code);
          return rank === null ? (
            <p className="commune-rank__value commune-rank__value--none">
              {t('rank.unranked')}
              <span className="commune-rank__hint">{t('rank.unrankedHint')}</span>
            </p>
          ) : (
            <p className="commune-rank__value">{t('rank.position', { rank: formatCount(rank), n: formatCount(ranked) })}</p>
          );
        }}
      </Loaded>
    </div>
  );
}

function monthText(p: RankPoint): string {
  return p.current ? t('rank.monthCurrent', { ns: 'commune', month: monthLabel(p.month) }) : monthLabel(p.month);
}

function HistoryChart({ commune, points, hold }: { commune: Commune; points: RankPoint[]; hold: boolean }) {
  const { t } = useTranslation('commune');
  const option = useMemo(
    () =>
      toRankHistoryOption(points, {
        month: (p) => monthLabel(p.month),
        rank: (p) => (p.rank === null ? t('rank.unranked') : t('rank.tooltip', { rank: formatCount(p.rank), n: formatCount(p.ranked) })),
        series: t('rank.series'),
      }),
    // `t` is new with each language, so the labels follow it.
    [points, t],
  );
  return (
    <>
      <LazyChart option={option} height={200} hold={hold} label={t('rank.historyChart', { name: commune.fullName, province: commune.provinceName })} className="chart commune-chart" />
      <details className="commune-details">
        <summary>{t('rank.showTable')}</summary>
        <table className="ranking commune-table">
          <caption className="visually-hidden">{t('rank.historyCaption', { name: commune.fullName, province: commune.provinceName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('rank.month')}</th>
              <th scope="col" className="num">
                {t('rank.rankCol')}
              </th>
              <th scope="col" className="num">
                {t('rank.rankedCol')}
              </th>
              <th scope="col" className="num">
                {t('rank.scoreCol')}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row">{monthText(p)}</th>
                <td className="num">{p.rank === null ? '—' : formatCount(p.rank)}</td>
                <td className="num">{formatCount(p.ranked)}</td>
                <td className="num">{formatDecimal(p.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** Where the commune stands in its province and the nation, and how its rank moved month by month. */
export function RankPanel({ commune, province, nation, history, periodText, holdChart = false }: Props) {
  const { t } = useTranslation('commune');
  return (
    <section className="panel commune-panel" aria-labelledby="rank-heading">
      <div className="panel__head">
        <h2 id="rank-heading">{t('rank.heading')}</h2>
        <p className="panel__note">{periodText}</p>
      </div>
      <div className="commune-ranks">
        <Position label={t('rank.inProvince', { province: commune.provinceName })} state={province} code={commune.code} />
        {nation && <Position label={t('rank.inNation')} state={nation} code={commune.code} />}
      </div>
      <p className="commune-note">{t('rank.note')}</p>
      <h3 className="commune-subheading">{t('rank.historyHeading')}</h3>
      <Loaded {...history} rows={3}>
        {(h) => (
          <>
            {h.failed > 0 && <p className="commune-note commune-note--warn">{t('rank.partial', { count: h.failed })}</p>}
            {h.points.every((p) => p.rank === null) ? <EmptyPanel>{t('rank.noHistory')}</EmptyPanel> : <HistoryChart commune={commune} points={h.points} hold={holdChart} />}
          </>
        )}
      </Loaded>
    </section>
  );
}
