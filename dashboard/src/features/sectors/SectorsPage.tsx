import { type BreakdownFigures, can, parseScope } from '@ioc/shared';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { paths } from '../../app/routes';
import { api } from '../../lib/api';
import { csvFileName, downloadCsv } from '../../lib/csv';
import { formatCount, formatDateRange, formatDecimal, formatInstant, formatPercent } from '../../lib/format';
import { describeError } from '../../lib/http';
import { choiceRange } from '../../lib/period';
import { periodTitle } from '../../lib/periodText';
import { scopeNameOf } from '../../lib/scopeName';
import { fetchCommunesOf, fetchProvinces } from '../../lib/units';
import { useApiQuery } from '../../lib/useApiQuery';
import { usePeriodParam, useViewParams } from '../../lib/viewParams';
import { downloadXlsx, readSheet } from '../../lib/xlsx';
import { useSession } from '../auth/useAuth';
import { ExportButtons } from '../overview/ExportButtons';
import { EmptyPanel, ErrorPanel, LoadingRows, StaleNotice } from '../../lib/StatePanels';
import { PeriodSelector } from '../overview/PeriodSelector';
import { FIGURE_KEYS, type FigureKey, SORT_KEYS, type SortDir, type SortKey, procedureColumns, procedureRows, sectorColumns, sortKeyOf, sortRows } from './sectorTable';
import './sectors.css';

const REFRESH_MS = 5 * 60_000;

function cell(key: FigureKey, f: BreakdownFigures): string {
  const v = f[key];
  if (key === 'onTimeRate') return formatPercent(v);
  if (key === 'meanProcessingDays') return formatDecimal(v);
  return formatCount(v);
}

/** A scope's dossiers received in the period, per sector (lĩnh vực) and per procedure; sortable, exportable. */
export function SectorsPage({ scope: scopeProp }: { scope?: string }) {
  const { t } = useTranslation('sectors');
  const { user, person } = useSession();
  const [, navigate] = useLocation();
  const view = useViewParams();
  const [choice, setChoice] = usePeriodParam();
  const scope = scopeProp ?? user.scope;
  const range = choiceRange(choice, new Date());
  const sort = sortKeyOf(view.params.get('sort'));
  const dir: SortDir = view.params.get('dir') === 'asc' ? 'asc' : 'desc';
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  const fetcher = useCallback((signal: AbortSignal) => api.get('kpis.bySector', { query: { scope, from: range.from, to: range.to } }, signal), [scope, range.from, range.to]);
  const data = useApiQuery(['kpis', 'by-sector', scope, range.from, range.to], fetcher, { refetchMs: REFRESH_MS });

  // The scopes offered: the person's own, the provinces for the nation's people, the communes of a province.
  const parsed = parseScope(user.scope);
  const ownProvince = parsed?.kind === 'province' ? parsed.code : null;
  const provinces = useQuery({ queryKey: ['units', 'provinces', 'sectors'], queryFn: fetchProvinces, enabled: user.scope === 'nation', staleTime: Infinity });
  const communes = useQuery({ queryKey: ['units', 'communes', ownProvince], queryFn: () => fetchCommunesOf(ownProvince!), enabled: ownProvince !== null, staleTime: Infinity });
  const options: { value: string; label: string }[] = [
    { value: user.scope, label: scopeNameOf(user.scope, user.scopeName) },
    ...(provinces.data ?? []).map((p) => ({ value: `province:${p.code}`, label: p.fullName })),
    ...(communes.data ?? []).filter((c) => can(person, 'figures', { kind: 'commune', code: c.code, provinceCode: c.provinceCode })).map((c) => ({ value: `commune:${c.code}`, label: c.fullName })),
  ];
  // A scope reached by its address that the list does not offer (a commune for the nation's people).
  if (!options.some((o) => o.value === scope)) options.push({ value: scope, label: scope });
  const scopeLabel = options.find((o) => o.value === scope)?.label ?? scope;

  const setSort = (key: SortKey) => {
    const nextDir: SortDir = key === sort ? (dir === 'desc' ? 'asc' : 'desc') : key === 'name' ? 'asc' : 'desc';
    view.update({ sort: key === 'received' && nextDir === 'desc' ? undefined : key, dir: nextDir === 'desc' ? undefined : 'asc' });
  };
  const toggle = (sector: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(sector)) next.delete(sector);
      else next.add(sector);
      return next;
    });

  const periodText = `${periodTitle(choice, data.data?.asOf ?? null)} · ${formatDateRange(range.from, range.to)}`;
  const fileName = () => csvFileName(t('export.fileName'), scope, range.from, range.to);
  const exportCsv = () => {
    if (data.data) downloadCsv(fileName(), procedureColumns(), procedureRows(data.data.sectors));
  };
  const exportXlsx = async () => {
    const r = data.data;
    if (!r) return;
    const about = {
      title: t('export.title'),
      sheetName: t('export.about'),
      lines: [
        [t('export.scope'), scopeLabel],
        [t('export.period'), periodText],
        [t('export.asOf'), formatInstant(r.asOf)],
        [t('export.exportedAt'), formatInstant(Date.now())],
        [t('export.exportedBy'), `${user.displayName} (${user.username})`],
      ] as [string, string][],
    };
    await downloadXlsx(fileName().replace(/\.csv$/, '.xlsx'), about, [
      readSheet({ name: t('export.sheetSectors'), columns: sectorColumns(), rows: r.sectors }),
      readSheet({ name: t('export.sheetProcedures'), columns: procedureColumns(), rows: procedureRows(r.sectors) }),
    ]);
  };

  const header = (key: SortKey) => {
    const label = key === 'name' ? t('col.name') : t(`col.${key}`);
    return (
      <th key={key} scope="col" className={key === 'name' ? undefined : 'num'} aria-sort={sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort-button" onClick={() => setSort(key)}>
          {label}
          <span aria-hidden="true">{sort === key ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };

  const body = (() => {
    const r = data.data;
    if (!r) {
      return data.error ? (
        <ErrorPanel text={t('error', { reason: describeError(data.error) })} retryLabel={t('retry')} onRetry={data.refresh} retrying={data.fetching} />
      ) : (
        <LoadingRows text={t('loading')} rows={5} />
      );
    }
    if (r.total.received === 0) return <EmptyPanel>{t('empty')}</EmptyPanel>;
    return (
      <div className="table-wrap">
        <table className="sectors-table">
          <caption className="visually-hidden">{t('caption', { scope: scopeLabel, period: periodText })}</caption>
          <thead>
            <tr>{SORT_KEYS.map(header)}</tr>
          </thead>
          <tbody>
            {sortRows(r.sectors, sort, dir, (s) => s.sector).map((s) => {
              const expanded = open.has(s.sector);
              return (
                <Fragment key={s.sector}>
                  <tr className="sectors-table__sector" data-sector={s.sector}>
                    <th scope="row">
                      <button
                        type="button"
                        className="sectors-table__toggle"
                        aria-expanded={expanded}
                        aria-label={expanded ? t('hideProcedures', { sector: s.sector }) : t('showProcedures', { sector: s.sector })}
                        onClick={() => toggle(s.sector)}
                      >
                        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                      </button>
                      <span className="sectors-table__name">{s.sector}</span>
                      <span className="sectors-table__sub">{t('procedures', { count: s.procedures.length, n: formatCount(s.procedures.length) })}</span>
                    </th>
                    {FIGURE_KEYS.map((k) => (
                      <td key={k} className="num">
                        {cell(k, s)}
                      </td>
                    ))}
                  </tr>
                  {expanded &&
                    sortRows(s.procedures, sort, dir, (p) => p.procedureCode).map((p) => (
                      <tr key={`${s.sector}|${p.procedureCode}`} className="sectors-table__procedure">
                        <th scope="row">{p.procedureCode}</th>
                        {FIGURE_KEYS.map((k) => (
                          <td key={k} className="num">
                            {cell(k, p)}
                          </td>
                        ))}
                      </tr>
                    ))}
                </Fragment>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('total')}</th>
              {FIGURE_KEYS.map((k) => (
                <td key={k} className="num">
                  {cell(k, r.total)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    );
  })();

  return (
    <main id="main" className="page page-main sectors" aria-busy={data.data === null && data.error === null}>
      <header className="sectors__header">
        <h1>{t('title')}</h1>
        <p className="sectors__intro">{t('intro')}</p>
      </header>
      <div className="sectors__tools">
        <label className="sectors__scope">
          <span>{t('scope')}</span>
          <select value={scope} onChange={(e) => navigate(view.carry(paths.sectors(e.target.value === user.scope ? undefined : e.target.value)))}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <PeriodSelector value={choice} onChange={setChoice} />
        <ExportButtons csvLabel={t('export.csv')} xlsxLabel={t('export.xlsx')} onCsv={exportCsv} onXlsx={exportXlsx} disabled={!data.data || data.data.total.received === 0} />
      </div>
      <section className="panel sectors__panel" aria-label={t('title')}>
        <p className="sectors__meta">
          {periodText}
          {data.data && ` · ${t('asOf', { time: formatInstant(data.data.asOf) })}`} · <span className="muted">{t('sortHint')}</span>
        </p>
        {data.error !== null && data.data !== null && <StaleNotice text={t('stale', { reason: describeError(data.error) })} retryLabel={t('retry')} onRetry={data.refresh} retrying={data.fetching} />}
        {body}
      </section>
    </main>
  );
}
