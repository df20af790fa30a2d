import { useState } from 'react';
import { KPI_VERSION, type KpiResponse } from '@ioc/shared';
import { describeError } from '../../lib/api';
import { formatDateRange, formatInstant } from '../../lib/format';
import { PERIOD_LABELS, type PeriodPreset } from '../../lib/period';
import { CountsSummary } from './CountsSummary';
import { KpiCards, KpiCardsSkeleton } from './KpiCards';
import { PageHeader } from './PageHeader';
import { PeriodSelector } from './PeriodSelector';
import { RankingTable } from './RankingTable';
import { LiveStatus, PollingStatus } from './RefreshStatus';
import { EmptyPanel, ErrorPanel, StaleNotice } from './StatePanels';
import { StatusBanners } from './StatusBanners';
import { useHealth } from './useHealth';
import { REFRESH_INTERVAL_MS, useOverviewData } from './useOverviewData';

const SCOPE = 'nation';
const SCOPE_LABEL = 'Toàn quốc';
const REFRESH_SECONDS = REFRESH_INTERVAL_MS / 1000;

function hasNoDossiers(k: KpiResponse): boolean {
  const c = k.counts;
  return c.received === 0 && c.resolved === 0 && c.inProgress === 0;
}

export function OverviewPage() {
  const [preset, setPreset] = useState<PeriodPreset>('today');
  const overview = useOverviewData(SCOPE, preset);
  const health = useHealth();
  const { data, error, fetching, updatedAt, refresh, live } = overview;

  const reason = error !== null ? describeError(error) : null;
  const loading = data === null && reason === null;

  return (
    <div className="page">
      <a className="skip-link" href="#main">
        Bỏ qua, tới nội dung chính
      </a>
      <PageHeader
        scopeLabel={SCOPE_LABEL}
        periodLabel={data ? formatDateRange(data.kpis.from, data.kpis.to) : null}
        asOf={data ? formatInstant(data.kpis.asOf) : null}
        noAsOf={reason === null ? 'Đang lấy số liệu…' : 'Chưa có số liệu'}
        demo={health.data?.demoFeed.enabled === true}
        controls={<PeriodSelector value={preset} onChange={setPreset} />}
        status={
          live ? (
            <LiveStatus {...live} />
          ) : (
            <PollingStatus fetching={fetching} updatedAt={updatedAt} refreshSeconds={REFRESH_SECONDS} />
          )
        }
      />

      <main id="main" className="page-main" aria-busy={loading}>
        <StatusBanners health={health.data} />
        {data && reason && <StaleNotice reason={reason} onRetry={refresh} retrying={fetching} />}

        {data === null && reason !== null ? (
          <ErrorPanel reason={reason} onRetry={refresh} retrying={fetching} retryInSeconds={REFRESH_SECONDS} />
        ) : (
          <div className="layout">
            <section className="panel panel--kpis" aria-labelledby="kpi-heading">
              <div className="panel__head">
                <h2 id="kpi-heading">Chỉ số chính</h2>
                <p className="panel__note">{PERIOD_LABELS[preset]} · tỷ lệ tính trên tổng số hồ sơ</p>
              </div>
              {loading || !data ? (
                <>
                  <p className="visually-hidden" role="status">
                    Đang tải dữ liệu…
                  </p>
                  <KpiCardsSkeleton />
                </>
              ) : (
                <>
                  {hasNoDossiers(data.kpis) && (
                    <EmptyPanel>Chưa có hồ sơ nào trong kỳ này. Các chỉ số hiển thị “—” cho đến khi có số liệu.</EmptyPanel>
                  )}
                  <KpiCards kpis={data.kpis.kpis} index={data.kpis.index} />
                  <h3 className="subheading" id="counts-heading">
                    Tình hình tiếp nhận và giải quyết (Biểu II.06a)
                  </h3>
                  <CountsSummary counts={data.kpis.counts} />
                </>
              )}
            </section>

            <section className="panel panel--ranking" aria-labelledby="ranking-heading">
              <div className="panel__head">
                <h2 id="ranking-heading">Xếp hạng 34 tỉnh, thành phố</h2>
                <p className="panel__note">Theo điểm chỉ số phục vụ (thang 100)</p>
              </div>
              {loading || !data ? (
                <div className="skeleton-table" aria-hidden="true">
                  {Array.from({ length: 10 }, (_, i) => (
                    <div key={i} className="skeleton skeleton--row" />
                  ))}
                </div>
              ) : data.rankings.entries.length === 0 ? (
                <EmptyPanel>Chưa có dữ liệu xếp hạng cho kỳ này.</EmptyPanel>
              ) : (
                <RankingTable
                  entries={data.rankings.entries}
                  caption={`Xếp hạng các tỉnh, thành phố theo điểm chỉ số, kỳ ${formatDateRange(data.rankings.from, data.rankings.to)}`}
                />
              )}
            </section>
          </div>
        )}
      </main>
      <footer className="page-footer">
        <p>
          Chỉ số theo Quyết định 766/QĐ-TTg, phiên bản định nghĩa {data?.kpis.kpiVersion ?? KPI_VERSION}. Ngày tính theo giờ
          Việt Nam (UTC+7). “—”: không có hồ sơ để tính tỷ lệ.
        </p>
      </footer>
    </div>
  );
}
