import type { KpiResponse, RankingResponse, SeriesResponse } from '../api.js';
import type { LocalDate } from '../time.js';

/** REST contract of `/api/v1/reports`: archived periodic reports of a scope, and the daily digest's record. */

export const REPORT_KINDS = ['monthly', 'quarterly', 'on_demand'] as const;
/** monthly and quarterly: generated on schedule (the 1st at 07:00, for the period before); on_demand: asked for through the API. */
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The figures a report shows, exactly as the API answered them when it was generated. */
export interface ReportFigures {
  /**
   * `GET /api/v1/kpis` of the scope and period: KPIs, the II.06a counts, the index (v1), the national index
   * (`indexV2`, kpi-v2: groups → sub-indicators, earned of available) and the projection watermark.
   */
  kpis: KpiResponse;
  /**
   * `GET /api/v1/rankings?by=index` of the scope's children (provinces of the nation, communes of a province): by the kpi-v2
   * points earned over the sub-indicators every ranked unit with data has (`commonSubIndicators`, `commonPmax`),
   * each row as a comparison row (`counts: null`), so every reader of the report may see it; null for a commune.
   */
  rankings: RankingResponse | null;
  /** `GET /api/v1/kpis/series` of the period: by day up to 62 days, by month beyond. */
  trend: SeriesResponse;
}

/** A report as listed: what it covers and when it was made; its files at `pdfUrl` and `xlsxUrl`. */
export interface ReportSummary {
  id: string;
  scope: string;
  scopeName: string;
  kind: ReportKind;
  from: LocalDate;
  to: LocalDate;
  /** When it was generated (ISO instant). */
  generatedAt: string;
  /** Who asked for it: `system` for the scheduled ones, else the username. */
  requestedBy: string;
  /** The instant its figures are true at, and up to which event-log position they count (data freshness). */
  asOf: string;
  watermark: number;
  pdfBytes: number;
  xlsxBytes: number;
  pdfUrl: string;
  xlsxUrl: string;
  /** When it was mailed to the scope's subscribers, and to how many addresses (scheduled reports). */
  emailedAt: string | null;
  emailedTo: number;
}

export interface Report extends ReportSummary {
  figures: ReportFigures;
}

export interface ReportListResponse {
  total: number;
  page: number;
  pageSize: number;
  items: ReportSummary[];
}

/** `POST /api/v1/reports`: a report of any scope and period, generated now (inclusive local dates). */
export interface ReportCreateRequest {
  scope: string;
  from: LocalDate;
  to: LocalDate;
}
