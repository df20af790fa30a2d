import type { ReactNode } from 'react';

interface Props {
  scopeLabel: string;
  periodLabel: string | null;
  asOf: string | null;
  /** What to say in place of the as-of time while there is none. */
  noAsOf: string;
  demo: boolean;
  /** Who is signed in, and signing out. */
  account: ReactNode;
  controls: ReactNode;
  status: ReactNode;
}

export function PageHeader({ scopeLabel, periodLabel, asOf, noAsOf, demo, account, controls, status }: Props) {
  return (
    <header className="page-header">
      <div className="page-header__title">
        <h1>
          <span className="page-header__product">Trung tâm điều hành thông minh</span>
          <span className="page-header__dash"> — </span>
          <span className="page-header__subject">Chỉ số phục vụ hành chính công</span>
        </h1>
        <p className="page-header__meta">
          <span>
            Phạm vi: <strong>{scopeLabel}</strong>
          </span>
          {periodLabel && (
            <span>
              Kỳ: <strong>{periodLabel}</strong>
            </span>
          )}
          {demo && <span className="badge badge--demo">Dữ liệu mô phỏng</span>}
        </p>
      </div>
      <div className="page-header__side">
        {account}
        {controls}
        <p className="page-header__asof">
          {asOf ? (
            <>
              Số liệu tính đến <strong>{asOf}</strong>
            </>
          ) : (
            noAsOf
          )}
        </p>
        {status}
      </div>
    </header>
  );
}
