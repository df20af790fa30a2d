import { useTranslation } from 'react-i18next';
import { INDEX_COMPONENTS, type RankingEntry } from '@ioc/shared';
import { Link } from 'wouter';
import { csvFileName, downloadCsv, exportBaseName } from '../../lib/csv';
import { NO_VALUE, formatDecimal, formatPercent } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { downloadXlsx, readSheet } from '../../lib/xlsx';
import { ExportButtons } from './ExportButtons';
import { type ExportInfo, aboutSheet } from './exportInfo';
import { type MapLayer, isIndexMetric } from '../map/choropleth';
import { metricName } from '../map/format';
import { type OverviewEntry, type RankingView, byName, measureOf, pointsLost, rankingColumns, rankingRows, rankingSpread, spreadText, subIndicatorsLost } from './ranking';

const SHOWN = 10;

function ScoreCell({ score, text }: { score: number | null; text?: string }) {
  return (
    <td className="num score-cell">
      {score !== null && (
        <span className="score-cell__bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, score))}%` }} />
        </span>
      )}
      <span className="score-cell__value">{text ?? formatDecimal(score)}</span>
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
  /** What the exports are about: scope, period, file name. */
  exportInfo: ExportInfo;
  /** The units' plural, for the note when no ranking is drawn: "tỉnh, thành phố". */
  noun: string;
  /** The view the address names; null: the best ten of a long list, all of a short one. */
  view: RankingView | null;
  onView: (v: RankingView) => void;
  /** What colours the map, which the table ranks by and shows (`points`: the kpi-v1 score). */
  metric?: MapLayer;
}

/**
 * The ranking of the units below a scope: the best or the worst ten, or all;
 * index points and the points each lost per index component. It is also the
 * map's text alternative, so every unit is reachable here by keyboard.
 */
export function RankingTable({ entries, caption, unitHeader, linkOf, selected, exportInfo, noun, view: chosen, onView, metric = 'points' }: Props) {
  const { t } = useTranslation('overview');
  const view: RankingView = chosen ?? (entries.length > 40 ? 'best' : 'all');
  const spread = rankingSpread(entries, metric === 'points' || metric === 'links' ? undefined : (e) => e.value);
  const v2 = metric !== 'links' && metric !== 'points' && isIndexMetric(metric) ? metric : null;
  // No order to show when every score is the same: the units by name, and the reason said.
  const rows = spread.kind === 'ranked' ? rankingRows(entries, view, SHOWN) : byName(entries);
  const exported = () => (spread.kind === 'ranked' ? rankingRows(entries, 'all', 0) : byName(entries));

  const exportCsv = () => downloadCsv(csvFileName(t('ranking.file'), ...exportInfo.fileParts), rankingColumns(unitHeader), exported());
  const exportXlsx = () =>
    downloadXlsx(`${exportBaseName(t('ranking.file'), ...exportInfo.fileParts)}.xlsx`, aboutSheet(exportInfo), [
      readSheet({ name: t('ranking.sheet'), columns: rankingColumns(unitHeader), rows: exported() }),
    ]);

  return (
    <>
      <div className="table-tools">
        {spread.kind === 'ranked' && (
          <fieldset className="segmented segmented--small">
            <legend className="visually-hidden">{t('ranking.show')}</legend>
            <div className="segmented__options">
              {(['best', 'worst', 'all'] as const).map((v) => (
                <label key={v} className="segmented__option">
                  <input type="radio" name="ranking-view" value={v} checked={view === v} onChange={() => onView(v)} />
                  <span>{t(`ranking.views.${v}`, { n: SHOWN, total: entries.length })}</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <ExportButtons csvLabel={t('ranking.csv')} xlsxLabel={t('ranking.xlsx')} onCsv={exportCsv} onXlsx={exportXlsx} />
      </div>
      {spread.kind !== 'ranked' && (
        <p className="ranking-tie" role="note">
          {spreadText(entries, spread, metric, noun)}
        </p>
      )}
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
                {metric === 'points' || metric === 'links' ? t('ranking.score') : metricName(metric)}
              </th>
              {v2 === 'index' && (
                <th scope="col" className="num">
                  <abbr title={t('ranking.comparableTitle')}>{t('ranking.comparable')}</abbr>
                </th>
              )}
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
              const measure = measureOf(e, metric);
              const lostV2 = v2 ? subIndicatorsLost(e) : [];
              return (
                <tr key={e.unitCode} aria-current={selected === e.unitCode ? 'true' : undefined} className={selected === e.unitCode ? 'is-selected' : undefined}>
                  <td className="num rank">{spread.kind === 'ranked' ? (e.rank ?? NO_VALUE) : NO_VALUE}</td>
                  <th scope="row">{href ? <Link href={href}>{e.unitName}</Link> : e.unitName}</th>
                  <ScoreCell score={measure.bar} text={measure.text} />
                  {v2 === 'index' && <td className="num">{formatDecimal((e as OverviewEntry).comparable ?? null)}</td>}
                  <td className="num">{formatPercent(e.kpis.onTime.value)}</td>
                  <td className="num">{formatPercent(e.kpis.online.value)}</td>
                  <td className="lost-cell">
                    {v2
                      ? !e.indexV2 || e.indexV2.available === 0
                        ? NO_VALUE
                        : lostV2.length === 0
                          ? t('ranking.noneLost')
                          : lostV2.slice(0, 2).map(({ id, lost: v }) => (
                              <span key={id} className="lost-chip" title={metricName(id)}>
                                {t('ranking.lostChip', { name: id, value: formatDecimal(v) })}
                              </span>
                            ))
                      : e.index.score === null
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
