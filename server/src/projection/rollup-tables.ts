import { DEFERRED_FIELDS, type Grain, ROLLUP_FIELDS, columnOf } from '@ioc/shared';

/*
 * The layout of the tables the projector writes (rollups, deferred rows, fee-bearing
 * procedures, running stocks) as their readers in kpi/ and alerts/ need it too: one
 * place, so a writer and a reader cannot disagree on a column or a row's key.
 */

/** Counter columns of the rollup tables, in ROLLUP_FIELDS order. */
export const ROLLUP_COLUMNS = ROLLUP_FIELDS.map(columnOf);
/** Counter columns of kpi_deferred, in DEFERRED_FIELDS order. */
export const DEFERRED_COLUMNS = DEFERRED_FIELDS.map(columnOf);
export const GRAIN_TABLE: Record<Grain, string> = { hour: 'kpi_hourly', day: 'kpi_daily', month: 'kpi_monthly' };

/** Unit code of the row that totals a province (its communes and its province-level dossiers). */
export const provinceTotalUnit = (provinceCode: string) => `P${provinceCode}`;

/** `paid_day` of a fee-bearing dossier not paid online (kpi_fee_procedure). */
export const NOT_PAID = 'infinity';
/** `grain` of a kpi_fee_summary row: a local day or a local month. */
export type FeeSummaryGrain = 'd' | 'm';
