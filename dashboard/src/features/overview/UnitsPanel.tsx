import type { RankingResponse } from '@ioc/shared';
import type { ChildrenTable } from '../../lib/access';
import { describeError } from '../../lib/http';
import { formatDateRange } from '../../lib/format';
import { RankingTable } from './RankingTable';
import { EmptyPanel } from './StatePanels';
import { type UnitsBelow, capitalize } from './unitsBelow';

interface Props {
  /** `pending` until the units below the scope are known. */
  table: ChildrenTable | 'pending';
  units: UnitsBelow | null;
  unitsError: unknown;
  rankings: RankingResponse | null;
  scopeName: string;
  /** The scope is the nation (its units are provinces, named on their own). */
  nation: boolean;
}

function TableSkeleton() {
  return (
    <div className="skeleton-table" aria-hidden="true">
      {Array.from({ length: 10 }, (_, i) => (
        <div key={i} className="skeleton skeleton--row" />
      ))}
    </div>
  );
}

/** The ranking of the units below the scope, or why there is none to show. */
export function UnitsPanel({ table, units, unitsError, rankings, scopeName, nation }: Props) {
  if (table === 'none') {
    return (
      <section className="panel panel--ranking" aria-labelledby="ranking-heading">
        <div className="panel__head">
          <h2 id="ranking-heading">So sánh với các xã, phường khác</h2>
        </div>
        <p className="panel__text">
          Bảng so sánh với các xã, phường khác trong tỉnh sẽ có ở trang xã, phường (sắp ra mắt). Trang này hiển thị số liệu của
          đơn vị bạn phụ trách.
        </p>
      </section>
    );
  }
  if (table === 'forbidden') {
    return (
      <section className="panel panel--ranking" aria-labelledby="ranking-heading">
        <div className="panel__head">
          <h2 id="ranking-heading">Các đơn vị trực thuộc</h2>
        </div>
        <p className="panel__text">Tài khoản của bạn không có quyền truy cập số liệu chi tiết của các đơn vị trực thuộc {scopeName}.</p>
      </section>
    );
  }

  const noun = units?.noun ?? (nation ? 'tỉnh, thành phố' : 'đơn vị trực thuộc');
  const heading = units ? `Xếp hạng ${units.refs.length} ${noun}` : `Xếp hạng các ${noun}`;
  const of = nation ? '' : ` của ${scopeName}`;
  return (
    <section className="panel panel--ranking" aria-labelledby="ranking-heading">
      <div className="panel__head">
        <h2 id="ranking-heading">{heading}</h2>
        <p className="panel__note">Theo điểm chỉ số phục vụ (thang 100)</p>
      </div>
      {table === 'pending' && unitsError !== null ? (
        <EmptyPanel>Không tải được danh sách đơn vị: {describeError(unitsError)}. Đang thử lại…</EmptyPanel>
      ) : rankings === null ? (
        <TableSkeleton />
      ) : rankings.entries.length === 0 ? (
        <EmptyPanel>Chưa có dữ liệu xếp hạng cho kỳ này.</EmptyPanel>
      ) : (
        <RankingTable
          entries={rankings.entries}
          unitHeader={capitalize(noun)}
          caption={`Xếp hạng các ${noun}${of} theo điểm chỉ số, kỳ ${formatDateRange(rankings.from, rankings.to)}`}
        />
      )}
    </section>
  );
}
