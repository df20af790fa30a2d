import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Commune, DEFAULT_DUE_WITHIN_HOURS, type DossierListResponse, type DossierState, type DossierToAct } from '@ioc/shared';
import { csvFileName, downloadCsv } from '../../lib/csv';
import { formatCount, formatInstant } from '../../lib/format';
import { downloadXlsx, readSheet } from '../../lib/xlsx';
import { useSession } from '../auth/useAuth';
import { ExportButtons } from '../overview/ExportButtons';
import { describeError } from '../../lib/http';
import { vietnamDateOf } from '../../lib/period';
import type { QueryState } from '../../lib/useApiQuery';
import { fetchAllDossiers } from './api';
import { EmptyPanel } from '../../lib/StatePanels';
import { Loaded } from './PanelStates';
import { dossierCsvColumns, hoursLeftText, urgencyOf } from './dossierText';

export const DOSSIER_PAGE_SIZE = 20;

interface Props {
  commune: Commune;
  state: QueryState<DossierListResponse>;
  filter: DossierState | null;
  onFilter: (f: DossierState | null) => void;
  page: number;
  onPage: (p: number) => void;
}

function Row({ d }: { d: DossierToAct }) {
  const { t } = useTranslation('commune');
  const urgency = urgencyOf(d);
  return (
    <tr className={`commune-dossier commune-dossier--${urgency}`}>
      <th scope="row" className="commune-dossier__id">
        {d.dossierId}
      </th>
      <td>
        <span className="commune-dossier__procedure">{d.procedureCode}</span>
        <span className="commune-dossier__sector">{d.sector}</span>
      </td>
      <td>{t(`dossiers.channel.${d.channel}`)}</td>
      <td className="nowrap">{formatInstant(d.receivedAt)}</td>
      <td className="nowrap">{formatInstant(d.overdueAt)}</td>
      <td className="nowrap">
        <span className={`commune-badge commune-badge--${urgency}`}>{t(`dossiers.state.${d.state}`)}</span> <strong className="commune-dossier__left">{hoursLeftText(d.hoursLeft)}</strong>
      </td>
    </tr>
  );
}

function Filters({ totals, filter, onFilter }: { totals: DossierListResponse['totals'] | null; filter: DossierState | null; onFilter: (f: DossierState | null) => void }) {
  const { t } = useTranslation('commune');
  const n = (v: number | undefined) => (v === undefined ? '…' : formatCount(v));
  const options: { value: DossierState | null; label: string }[] = [
    { value: null, label: t('dossiers.all', { n: totals ? n(totals.due_soon + totals.overdue) : '…' }) },
    { value: 'overdue', label: t('dossiers.overdueFilter', { n: n(totals?.overdue) }) },
    { value: 'due_soon', label: t('dossiers.due_soonFilter', { n: n(totals?.due_soon) }) },
  ];
  return (
    <fieldset className="segmented commune-filter">
      <legend className="visually-hidden">{t('dossiers.filter')}</legend>
      <div className="segmented__options">
        {options.map((o) => (
          <label key={o.value ?? 'all'} className="segmented__option">
            <input type="radio" name="dossier-filter" checked={filter === o.value} onChange={() => onFilter(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The commune's dossiers that are overdue or about to be, most urgent first: what to act on today. */
export function DossiersPanel({ commune, state, filter, onFilter, page, onPage }: Props) {
  const { t } = useTranslation('commune');
  const { user } = useSession();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const hours = state.data?.dueWithinHours ?? DEFAULT_DUE_WITHIN_HOURS;
  const fileName = () => csvFileName(t('dossiers.fileName'), commune.name, commune.code, vietnamDateOf(new Date()));
  const all = () => fetchAllDossiers({ scope: `commune:${commune.code}`, state: filter ?? undefined }, new AbortController().signal);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      downloadCsv(fileName(), dossierCsvColumns(), await all());
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };
  // The whole list (every page) of the filter shown, as a workbook.
  const exportXlsx = async () => {
    const items = await all();
    const about = {
      title: t('dossiers.xlsx.title'),
      sheetName: t('dossiers.xlsx.about'),
      lines: [
        [t('dossiers.xlsx.commune'), `${commune.fullName} (${commune.code})`],
        [t('dossiers.xlsx.list'), filter === null ? t('dossiers.xlsx.all') : t(`dossiers.state.${filter}`)],
        [t('dossiers.xlsx.count'), formatCount(items.length)],
        [t('dossiers.xlsx.exportedAt'), formatInstant(Date.now())],
        [t('dossiers.xlsx.exportedBy'), `${user.displayName} (${user.username})`],
      ] as [string, string][],
    };
    await downloadXlsx(fileName().replace(/\.csv$/, '.xlsx'), about, [readSheet({ name: t('dossiers.xlsx.sheet'), columns: dossierCsvColumns(), rows: items })]);
  };

  return (
    <section className="panel commune-panel" aria-labelledby="dossiers-heading">
      <div className="panel__head">
        <h2 id="dossiers-heading">{t('dossiers.heading')}</h2>
        <p className="panel__note">{t('dossiers.note', { hours })}</p>
      </div>
      <div className="commune-toolbar">
        <Filters totals={state.data?.totals ?? null} filter={filter} onFilter={onFilter} />
        <ExportButtons
          csvLabel={exporting ? t('dossiers.exporting') : t('dossiers.export')}
          xlsxLabel={t('dossiers.exportXlsx')}
          onCsv={() => void exportCsv()}
          onXlsx={exportXlsx}
          disabled={exporting || !state.data || state.data.total === 0}
        />
      </div>
      {exportError !== null && (
        <p className="commune-note commune-note--warn" role="alert">
          {t('dossiers.exportError', { reason: describeError(exportError) })}
        </p>
      )}
      <Loaded {...state} rows={5}>
        {(r) => {
          if (r.total === 0) {
            return filter === null ? <EmptyPanel hint={t('dossiers.emptyHint', { hours })}>{t('dossiers.empty')}</EmptyPanel> : <EmptyPanel>{t('dossiers.emptyFiltered')}</EmptyPanel>;
          }
          const pages = Math.max(1, Math.ceil(r.total / r.pageSize));
          return (
            <>
              {/* Focusable so a keyboard can scroll the table sideways on a narrow screen. */}
              <div className="table-wrap commune-table-wrap" tabIndex={0} role="region" aria-label={t('dossiers.heading')}>
                <table className="ranking commune-table commune-dossiers">
                  <caption className="visually-hidden">{t('dossiers.caption', { name: commune.fullName, page: r.page, pages })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossiers.col.dossier')}</th>
                      <th scope="col">{t('dossiers.col.procedure')}</th>
                      <th scope="col">{t('dossiers.col.channel')}</th>
                      <th scope="col">{t('dossiers.col.received')}</th>
                      <th scope="col">{t('dossiers.col.due')}</th>
                      <th scope="col">{t('dossiers.col.left')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.items.map((d) => (
                      <Row key={d.dossierId} d={d} />
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="commune-pager" aria-label={t('dossiers.pagination')}>
                <button type="button" className="button button--secondary button--small" onClick={() => onPage(page - 1)} disabled={page <= 1}>
                  {t('dossiers.prev')}
                </button>
                <span aria-live="polite">{t('dossiers.pageOf', { page: r.page, pages, total: formatCount(r.total) })}</span>
                <button type="button" className="button button--secondary button--small" onClick={() => onPage(page + 1)} disabled={page >= pages}>
                  {t('dossiers.next')}
                </button>
              </nav>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
