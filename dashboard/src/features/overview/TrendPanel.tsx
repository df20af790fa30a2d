import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KPI_CATALOGUE, type LocalDate, type SeriesResponse } from '@ioc/shared';
import { LazyChart } from '../../lib/charts/LazyChart';
import { type CsvColumn, csvFileName, downloadCsv, exportBaseName } from '../../lib/csv';
import { downloadXlsx, readSheet } from '../../lib/xlsx';
import { ExportButtons } from './ExportButtons';
import { type ExportInfo, aboutSheet } from './exportInfo';
import { formatDecimal, formatLocalDate, formatPercent } from '../../lib/format';
import { kpiName, kpiNameOf } from '../../lib/kpiText';
import { type DateRange, trendGrain } from '../../lib/period';
import { useHourlyKeptFrom } from '../../lib/clientConfig';
import { EmptyPanel } from '../../lib/StatePanels';
import { METRIC_COLORS, type Metric, type TrendLine, seriesValues, toTrendOption } from './trend';
import { useSeries } from './useOverviewData';
import type { QueryState } from '../../lib/useApiQuery';

const DEFAULT_LINES: Metric[] = ['points', 'onTime', 'online', 'digitized'];

/** `2026-11-21` → `21/11`, `2026-11` → `11/2026`, `2026-11-21T14:00` → `14:00`. */
export function bucketLabel(label: string): string {
  if (/^\d{4}-\d{2}$/.test(label)) return `${label.slice(5)}/${label.slice(0, 4)}`;
  if (/T\d{2}:\d{2}$/.test(label)) return label.slice(-5);
  return formatLocalDate(label as LocalDate).slice(0, 5);
}

/** Twelve whole months ending with the range's month: the "by month" view. */
function monthsRange(r: DateRange): DateRange {
  const [y, m] = r.to.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
  return { from: start, to: r.to };
}

/** The scope's KPIs over time: by hour, day (the period) or month (the twelve months to the period's end). */
interface Props {
  scope: string;
  range: DateRange | null;
  /** The period's series at its finest useful step, already fetched for the cards' sparklines. */
  periodSeries: QueryState<SeriesResponse>;
  exportInfo: ExportInfo;
  /** By the period's own step or over twelve months; the page keeps it in its address (`?trend=month`). */
  by: 'period' | 'month';
  onBy: (by: 'period' | 'month') => void;
}

/**
 * A bucket as a spreadsheet reads it: a day as its date, a month as its first
 * day, an hour (Vietnam's) as the instant it starts, written back in Vietnam's time.
 */
export function bucketColumn(header: string, grain: 'hour' | 'day' | 'month'): CsvColumn<{ label: string }> {
  if (grain === 'hour') return { header, kind: 'datetime', value: (p) => (/T\d{2}:\d{2}$/.test(p.label) ? Date.parse(`${p.label}:00+07:00`) : p.label) };
  return { header, kind: 'date', value: (p) => (/^\d{4}-\d{2}$/.test(p.label) ? `${p.label}-01` : p.label) };
}

export function TrendPanel({ scope, range, periodSeries, exportInfo, by, onBy }: Props) {
  const { t } = useTranslation('overview');
  const [lines, setLines] = useState<Metric[]>(DEFAULT_LINES);
  const hourlyFrom = useHourlyKeptFrom();
  const grain = by === 'month' ? 'month' : range ? trendGrain(range, hourlyFrom) : 'day';
  const months = useSeries(scope, range && by === 'month' ? monthsRange(range) : null, 'month');
  const series = by === 'month' ? months : periodSeries;
  const data: SeriesResponse | null = series.data;

  const all: Metric[] = ['points', ...KPI_CATALOGUE.map((d) => d.id)];
  const nameOf = (m: Metric) => (m === 'points' ? t('cards.index') : kpiNameOf(m));
  const trendLines: TrendLine[] = lines.map((m) => ({
    metric: m,
    name: nameOf(m),
    color: METRIC_COLORS[m],
    target: m === 'points' ? null : (KPI_CATALOGUE.find((d) => d.id === m)?.fullScoreAt ?? null),
  }));
  const labels = useMemo(() => (data ? data.points.map((p) => bucketLabel(p.label)) : []), [data]);
  const option = useMemo(
    () => (data ? toTrendOption(data.points, trendLines, labels, formatDecimal, { targetOf: (n) => t('trend.target', { name: n }) }) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, lines.join(','), labels, t],
  );
  const empty = data !== null && data.points.every((p) => lines.every((m) => seriesValues([p], m)[0] === null));

  const exportColumns = (): CsvColumn<SeriesResponse['points'][number]>[] => [
    bucketColumn(t(grain === 'hour' ? 'trend.bucketHour' : grain === 'month' ? 'trend.bucketMonth' : 'trend.bucketDate'), grain),
    ...all.map((m): CsvColumn<SeriesResponse['points'][number]> => ({ header: `${nameOf(m)}${m === 'points' ? '' : ' (%)'}`, value: (p) => seriesValues([p], m)[0] })),
    { header: t('counts.received'), value: (p) => p.counts.received },
    { header: t('counts.resolved'), value: (p) => p.counts.resolved },
  ];
  const exportCsv = () => {
    if (data) downloadCsv(csvFileName(t('trend.file'), ...exportInfo.fileParts, grain), exportColumns(), data.points);
  };
  const exportXlsx = async () => {
    if (!data) return;
    await downloadXlsx(`${exportBaseName(t('trend.file'), ...exportInfo.fileParts, grain)}.xlsx`, aboutSheet(exportInfo), [
      readSheet({ name: t('trend.sheet'), columns: exportColumns(), rows: data.points }),
    ]);
  };

  return (
    <section className="panel panel--trend" aria-labelledby="trend-heading">
      <div className="panel__head">
        <h2 id="trend-heading">{t('trend.heading')}</h2>
        <p className="panel__note">{t(`trend.grain.${grain}`)}</p>
      </div>
      <div className="table-tools">
        <fieldset className="segmented segmented--small">
          <legend className="visually-hidden">{t('trend.by')}</legend>
          <div className="segmented__options">
            {(['period', 'month'] as const).map((v) => (
              <label key={v} className="segmented__option">
                <input type="radio" name="trend-by" value={v} checked={by === v} onChange={() => onBy(v)} />
                <span>{t(`trend.byOptions.${v}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <details className="trend-lines">
          <summary>{t('trend.lines', { n: lines.length })}</summary>
          <fieldset>
            <legend className="visually-hidden">{t('trend.lines', { n: lines.length })}</legend>
            {all.map((m) => (
              <label key={m} className="check">
                <input type="checkbox" checked={lines.includes(m)} onChange={(e) => setLines((ls) => (e.target.checked ? [...ls, m] : ls.filter((x) => x !== m)))} />
                <span className="swatch" style={{ background: METRIC_COLORS[m] }} aria-hidden="true" />
                {m === 'points' ? t('cards.index') : kpiName(KPI_CATALOGUE.find((d) => d.id === m)!)}
              </label>
            ))}
          </fieldset>
        </details>
        <ExportButtons csvLabel={t('trend.csv')} xlsxLabel={t('trend.xlsx')} onCsv={exportCsv} onXlsx={exportXlsx} disabled={!data} />
      </div>
      {series.error !== null && data === null ? (
        <EmptyPanel>{t('trend.failed')}</EmptyPanel>
      ) : data === null || option === null ? (
        <div className="skeleton skeleton--chart" aria-hidden="true" />
      ) : empty || lines.length === 0 ? (
        <EmptyPanel>{lines.length === 0 ? t('trend.noLines') : t('trend.empty')}</EmptyPanel>
      ) : (
        <LazyChart
          option={option}
          height={280}
          label={t('trend.label', {
            from: formatLocalDate(data.from),
            to: formatLocalDate(data.to),
            lines: trendLines.map((l) => l.name).join(', '),
          })}
        />
      )}
      {data && (
        <details className="trend-table">
          <summary>{t('trend.table')}</summary>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('trend.table')}>
            <table className="ranking">
              <thead>
                <tr>
                  <th scope="col">{t('trend.bucket')}</th>
                  {trendLines.map((l) => (
                    <th key={l.metric} scope="col" className="num">
                      {l.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.points.map((p, i) => (
                  <tr key={p.label}>
                    <th scope="row">{labels[i]}</th>
                    {trendLines.map((l) => (
                      <td key={l.metric} className="num">
                        {formatPercent(seriesValues([p], l.metric)[0])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </section>
  );
}
