import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INDEX_COMPONENTS, type RankingEntry } from '@ioc/shared';
import { Link } from 'wouter';
import { type CsvColumn, csvFileName, downloadCsv } from '../../lib/csv';
import { NO_VALUE, formatDecimal, formatPercent } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { type RankingView, pointsLost, rankingRows } from './ranking';

const SHOWN = 10;

function ScoreCell({ score }: { score: number | null }) {
  return (
    <td className="num score-cell">
      {score !== null && (
        <span className="score-cell__bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, score))}%` }} />
        </span>
      )}
      <span className="score-cell__value">{formatDecimal(score)}</span>
    </td>
  );
}

interface Props {
  entries: readonly RankingEntry[];
  caption: string;
  /** The units' column, e.g. "Tỉnh, thành phố". */
  unitHeader: string;
  /** Where a unit's name leads (drill-down); none: plain names. */
  linkOf?: (e: RankingEntry) => string | null;
  /** Marks a row, e.g. the unit selected on the map. */
  selected?: string | null;
  /** Words for the CSV's file name: scope and period. */
  fileParts: string[];
}

/**
 * The ranking of the units below a scope: the best or the worst ten, or all;
 * index points and the points each lost per index component. It is also the
 * map's text alternative, so every unit is reachable here by keyboard.
 */
export function RankingTable({ entries, caption, unitHeader, linkOf, selected, fileParts }: Props) {
  const { t } = useTranslation('overview');
  const [view, setView] = useState<RankingView>(entries.length > 40 ? 'best' : 'all');
  const rows = rankingRows(entries, view, SHOWN);

  const exportCsv = () => {
    const columns: CsvColumn<RankingEntry>[] = [
      { header: t('ranking.rank'), value: (e) => e.rank },
      { header: t('ranking.code'), value: (e) => e.unitCode },
      { header: unitHeader, value: (e) => e.unitName },
      { header: t('ranking.score'), value: (e) => e.index.score },
      { header: t('ranking.points'), value: (e) => e.index.points },
      { header: t('ranking.maxPoints'), value: (e) => e.index.maxPoints },
      ...INDEX_COMPONENTS.map((c) => ({ header: t('ranking.lostCsv', { name: kpiNameOf(c.kpi) }), value: (e: RankingEntry) => pointsLost(e)[c.id] })),
      ...(['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment'] as const).map((k) => ({
        header: `${kpiNameOf(k)} (%)`,
        value: (e: RankingEntry) => e.kpis[k].value,
      })),
      { header: `${kpiNameOf('satisfaction')} (%)`, value: (e) => e.kpis.satisfaction.value },
      { header: t('ranking.received'), value: (e) => e.received },
    ];
    downloadCsv(csvFileName(t('ranking.file'), ...fileParts), columns, rankingRows(entries, 'all', 0));
  };

  return (
    <>
      <div className="table-tools">
        <fieldset className="segmented segmented--small">
          <legend className="visually-hidden">{t('ranking.show')}</legend>
          <div className="segmented__options">
            {(['best', 'worst', 'all'] as const).map((v) => (
              <label key={v} className="segmented__option">
                <input type="radio" name="ranking-view" value={v} checked={view === v} onChange={() => setView(v)} />
                <span>{t(`ranking.views.${v}`, { n: SHOWN, total: entries.length })}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="button" className="button button--secondary button--small no-print" onClick={exportCsv}>
          {t('ranking.csv')}
        </button>
      </div>
      {/* Focusable so keyboard users can scroll the table inside its panel. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
        <table className="ranking">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('ranking.rank')}
              </th>
              <th scope="col">{unitHeader}</th>
              <th scope="col" className="num">
                {t('ranking.score')}
              </th>
              <th scope="col" className="num">
                <abbr title={kpiNameOf('onTime')}>{t('ranking.onTime')}</abbr>
              </th>
              <th scope="col" className="num">
                <abbr title={kpiNameOf('online')}>{t('ranking.online')}</abbr>
              </th>
              <th scope="col">{t('ranking.lost')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const href = linkOf?.(e) ?? null;
              const lostBy = pointsLost(e);
              const lost = INDEX_COMPONENTS.map((c) => ({ c, v: lostBy[c.id] ?? 0 }))
                .filter((x) => x.v > 0)
                .sort((a, b) => b.v - a.v);
              return (
                <tr key={e.unitCode} aria-current={selected === e.unitCode ? 'true' : undefined} className={selected === e.unitCode ? 'is-selected' : undefined}>
                  <td className="num rank">{e.rank ?? NO_VALUE}</td>
                  <th scope="row">{href ? <Link href={href}>{e.unitName}</Link> : e.unitName}</th>
                  <ScoreCell score={e.index.score} />
                  <td className="num">{formatPercent(e.kpis.onTime.value)}</td>
                  <td className="num">{formatPercent(e.kpis.online.value)}</td>
                  <td className="lost-cell">
                    {e.index.score === null
                      ? NO_VALUE
                      : lost.length === 0
                        ? t('ranking.noneLost')
                        : lost.slice(0, 2).map(({ c, v }) => (
                            <span key={c.id} className="lost-chip">
                              {t('ranking.lostChip', { name: t(`components.${c.id}`), value: formatDecimal(v) })}
                            </span>
                          ))}
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
