import { REPORT_KINDS, type Province, type ReportSummary } from '@ioc/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n';
import { formatCount, formatDateRange, formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import { vietnamDateOf } from '../../lib/period';
import { scopeNameOf } from '../../lib/scopeName';
import { ErrorPanel, LoadingRows, StaleNotice } from '../../lib/StatePanels';
import { fetchProvinces } from '../../lib/units';
import { useApiQuery } from '../../lib/useApiQuery';
import { useViewParams } from '../../lib/viewParams';
import { useSession } from '../auth/useAuth';
import { REPORTS_PAGE_SIZE, type ReportFileKind, downloadReportFile, fetchReports, generateReport, reportFilePath } from './api';
import { type PeriodOption, formatBytes, presetPeriod } from './reportPeriods';
import './reports.css';

const REFRESH_MS = 60_000;

/** Archived reports the person may read, with their PDF and workbook, and generating one now. */
export function ReportsPage() {
  const { t } = useTranslation('reports');
  const view = useViewParams();
  const kindParam = view.params.get('kind');
  const kind = REPORT_KINDS.find((k) => k === kindParam);
  const page = Math.max(1, Number.parseInt(view.params.get('page') ?? '1', 10) || 1);
  const fetcher = useCallback((signal: AbortSignal) => fetchReports({ kind, page }, signal), [kind, page]);
  const list = useApiQuery(['reports', kind ?? 'all', page], fetcher, { refetchMs: REFRESH_MS });
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / REPORTS_PAGE_SIZE)) : 1;

  return (
    <main id="main" className="page page-main reports" aria-busy={list.data === null && list.error === null}>
      <header className="reports__header">
        <h1>{t('title')}</h1>
        <p className="reports__intro">{t('intro')}</p>
      </header>
      <div className="reports__layout">
        <section className="panel reports__list" aria-labelledby="reports-list-heading">
          <div className="reports__list-head">
            <h2 id="reports-list-heading">{t('list.heading')}</h2>
            <label className="reports__kind">
              <span>{t('list.kind')}</span>
              <select value={kind ?? ''} onChange={(e) => view.update({ kind: e.target.value || undefined, page: undefined })}>
                <option value="">{t('list.allKinds')}</option>
                {REPORT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {list.error !== null && list.data !== null && (
            <StaleNotice text={t('list.stale', { reason: describeError(list.error) })} retryLabel={t('list.retry')} onRetry={list.refresh} retrying={list.fetching} />
          )}
          {list.data === null ? (
            list.error !== null ? (
              <ErrorPanel text={t('list.error', { reason: describeError(list.error) })} retryLabel={t('list.retry')} onRetry={list.refresh} retrying={list.fetching} />
            ) : (
              <LoadingRows text={t('list.loading')} />
            )
          ) : list.data.total === 0 ? (
            <div className="state-panel state-panel--empty" role="status">
              <p className="state-panel__title">{kind ? t('list.emptyFiltered') : t('list.empty')}</p>
              {!kind && <p>{t('list.emptyHint')}</p>}
            </div>
          ) : (
            <>
              <ReportTable items={list.data.items} />
              {list.data.total > REPORTS_PAGE_SIZE && (
                <nav className="pager" aria-label={t('list.pager')}>
                  <button type="button" className="button button--secondary button--small" disabled={page <= 1} onClick={() => view.update({ page: page > 2 ? String(page - 1) : undefined })}>
                    {t('list.previous')}
                  </button>
                  <span>{t('list.page', { page, pages, total: formatCount(list.data.total) })}</span>
                  <button type="button" className="button button--secondary button--small" disabled={page >= pages} onClick={() => view.update({ page: String(page + 1) })}>
                    {t('list.next')}
                  </button>
                </nav>
              )}
            </>
          )}
        </section>
        <GeneratePanel />
      </div>
    </main>
  );
}

/** The files of every report, in the order their links stand: the PDF, then the workbook. */
const FILE_KINDS: readonly ReportFileKind[] = ['pdf', 'xlsx'];

function ReportTable({ items }: { items: readonly ReportSummary[] }) {
  const { t } = useTranslation('reports');
  const [failed, setFailed] = useState<{ error: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const locale = currentLocale();
  const download = (url: string, name: string) => {
    setBusy(url);
    setFailed(null);
    downloadReportFile(url, name)
      .catch((e: unknown) => setFailed({ error: e }))
      .finally(() => setBusy(null));
  };
  return (
    <>
      {failed && (
        <p className="reports__failed" role="alert">
          {t('downloadFailed', { reason: describeError(failed.error) })}
        </p>
      )}
      <div className="table-wrap">
        <table className="reports-table">
          <caption className="visually-hidden">{t('list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col.scope')}</th>
              <th scope="col">{t('col.kind')}</th>
              <th scope="col">{t('col.period')}</th>
              <th scope="col">{t('col.generatedAt')}</th>
              <th scope="col">{t('col.requestedBy')}</th>
              <th scope="col">{t('col.files')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => {
              const scope = scopeNameOf(r.scope, r.scopeName);
              const period = formatDateRange(r.from, r.to);
              const base = `ioc-bao-cao-${r.scope.replace(':', '-')}-${r.from}_${r.to}`;
              return (
                <tr key={r.id} data-report-id={r.id}>
                  <th scope="row">{scope}</th>
                  <td>{t(`kind.${r.kind}`)}</td>
                  <td className="nowrap">{period}</td>
                  <td>
                    <span className="nowrap">{formatInstant(r.generatedAt)}</span>
                    <span className="reports-table__sub">{t('asOf', { time: formatInstant(r.asOf) })}</span>
                  </td>
                  <td>
                    {r.requestedBy === 'system' ? t('system') : r.requestedBy}
                    {r.emailedTo > 0 && <span className="reports-table__sub">{t('emailed', { count: r.emailedTo, n: formatCount(r.emailedTo) })}</span>}
                  </td>
                  <td className="reports-table__files">
                    {FILE_KINDS.map((f) => {
                      const url = reportFilePath(r.id, f);
                      return (
                        <a
                          key={f}
                          href={url}
                          className="button button--secondary button--small"
                          aria-label={t(`${f}Label`, { scope, period })}
                          aria-busy={busy === url}
                          onClick={(e) => {
                            e.preventDefault();
                            download(url, `${base}.${f}`);
                          }}
                        >
                          {busy === url ? t('downloading') : t(f, { size: formatBytes(r[`${f}Bytes`], locale) })}
                        </a>
                      );
                    })}
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

/** Kept as data, so it is said in the language of the moment. */
type Outcome = { tone: 'ok'; report: Pick<ReportSummary, 'scope' | 'scopeName' | 'from' | 'to'> } | { tone: 'error'; error: unknown } | null;

/** A report of a scope the person may read (theirs, or for the nation's people a province) and a period, generated now. */
function GeneratePanel() {
  const { t } = useTranslation('reports');
  const { user } = useSession();
  const id = useId();
  const queryClient = useQueryClient();
  const provinces = useQuery({ queryKey: ['units', 'provinces', 'reports'], queryFn: fetchProvinces, enabled: user.scope === 'nation', staleTime: Infinity });
  const today = vietnamDateOf(new Date());
  const [scope, setScope] = useState(user.scope);
  const [option, setOption] = useState<PeriodOption>('lastMonth');
  const [custom, setCustom] = useState(() => presetPeriod('lastMonth', today));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const period = option === 'custom' ? custom : presetPeriod(option, today);
  const badRange = period.from > period.to;

  const scopes: { value: string; label: string }[] = [
    { value: user.scope, label: scopeNameOf(user.scope, user.scopeName) },
    ...(user.scope === 'nation' ? (provinces.data ?? []).map((p: Province) => ({ value: `province:${p.code}`, label: p.fullName })) : []),
  ];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (badRange) return;
    setBusy(true);
    setOutcome(null);
    try {
      const r = await generateReport({ scope, from: period.from, to: period.to });
      setOutcome({ tone: 'ok', report: r });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    } catch (err) {
      setOutcome({ tone: 'error', error: err });
    } finally {
      setBusy(false);
    }
  };

  const presetLabel = (o: Exclude<PeriodOption, 'custom'>) => {
    const p = presetPeriod(o, today);
    return t(`generate.${o}`, { range: formatDateRange(p.from, p.to) });
  };

  return (
    <section className="panel reports__generate" aria-labelledby="reports-generate-heading">
      <h2 id="reports-generate-heading">{t('generate.heading')}</h2>
      <form onSubmit={(e) => void submit(e)} className="reports-form">
        <label htmlFor={`${id}-scope`}>{t('generate.scope')}</label>
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
          {scopes.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        {user.scope === 'nation' && provinces.data === undefined && !provinces.error && (
          <span className="reports-form__hint" role="status">
            {t('generate.loadingScopes')}
          </span>
        )}
        <fieldset className="reports-form__period">
          <legend>{t('generate.period')}</legend>
          {(['lastMonth', 'thisMonth', 'lastQuarter', 'custom'] as const).map((o) => (
            <label key={o} className="check">
              <input type="radio" name={`${id}-period`} checked={option === o} onChange={() => setOption(o)} />
              <span>{o === 'custom' ? t('generate.custom') : presetLabel(o)}</span>
            </label>
          ))}
          {option === 'custom' && (
            <div className="reports-form__dates">
              <label>
                <span>{t('generate.from')}</span>
                <input type="date" value={custom.from} max={today} onChange={(e) => setCustom({ ...custom, from: e.target.value })} required />
              </label>
              <label>
                <span>{t('generate.to')}</span>
                <input type="date" value={custom.to} max={today} onChange={(e) => setCustom({ ...custom, to: e.target.value })} required />
              </label>
            </div>
          )}
        </fieldset>
        {badRange && (
          <p className="reports-form__error" role="alert">
            {t('generate.badRange')}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || badRange} aria-busy={busy}>
          {t('generate.submit')}
        </button>
        <p className={`reports-form__outcome reports-form__outcome--${busy ? 'busy' : (outcome?.tone ?? 'none')}`} role="status">
          {busy
            ? t('generate.busy')
            : outcome === null
              ? ''
              : outcome.tone === 'ok'
                ? t('generate.done', { scope: scopeNameOf(outcome.report.scope, outcome.report.scopeName), period: formatDateRange(outcome.report.from, outcome.report.to) })
                : t('generate.failed', { reason: describeError(outcome.error) })}
        </p>
      </form>
    </section>
  );
}
