import { useState } from 'react';
import { KPI_VERSION, type KpiResponse } from '@ioc/shared';
import { childrenTable } from '../../lib/access';
import { describeError } from '../../lib/http';
import { formatDateRange, formatInstant } from '../../lib/format';
import { PERIOD_LABELS, type PeriodPreset } from '../../lib/period';
import { AccountMenu } from '../auth/AccountMenu';
import { useSession } from '../auth/useAuth';
import { CountsSummary } from './CountsSummary';
import { KpiCards, KpiCardsSkeleton } from './KpiCards';
import { PageHeader } from './PageHeader';
import { PeriodSelector } from './PeriodSelector';
import { LiveStatus, PollingStatus } from './RefreshStatus';
import { EmptyPanel, ErrorPanel, StaleNotice } from './StatePanels';
import { StatusBanners } from './StatusBanners';
import { UnitsPanel } from './UnitsPanel';
import { useHealth } from './useHealth';
import { REFRESH_INTERVAL_MS, useOverviewData } from './useOverviewData';
import { useUnitsBelow } from './useUnitsBelow';

const REFRESH_SECONDS = REFRESH_INTERVAL_MS / 1000;

function hasNoDossiers(k: KpiResponse): boolean {
  const c = k.counts;
  return c.received === 0 && c.resolved === 0 && c.inProgress === 0;
}

/** The signed-in person's own scope: its KPIs, and the units below it when they may read them. */
export function OverviewPage() {
  const { user, person } = useSession();
  const [preset, setPreset] = useState<PeriodPreset>('today');
  const units = useUnitsBelow(person.scope);
  const table = units.below ? childrenTable(person, person.scope, units.below.refs) : 'pending';
  const overview = useOverviewData(user.scope, preset, table === 'pending' ? null : table === 'allowed');
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
        scopeLabel={user.scopeName}
        periodLabel={data ? formatDateRange(data.kpis.from, data.kpis.to) : null}
        asOf={data ? formatInstant(data.kpis.asOf) : null}
        noAsOf={reason === null ? 'Đang lấy số liệu…' : 'Chưa có số liệu'}
        demo={health.data?.demoFeed.enabled === true}
        account={<AccountMenu />}
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

            <UnitsPanel
              table={table}
              units={units.below}
              unitsError={units.error}
              rankings={data?.rankings ?? null}
              scopeName={user.scopeName}
              nation={person.scope.kind === 'nation'}
            />
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
