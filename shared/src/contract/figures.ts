import { z } from 'zod';
import { DEFAULT_DUE_WITHIN_HOURS, MAX_DUE_WITHIN_HOURS } from '../dossiers/api.js';
import { DEFAULT_FEEDBACK_LIMIT, FEEDBACK_STATUSES, FEEDBACK_TOPICS, MAX_FEEDBACK_LIMIT } from '../feedback.js';
import { MAX_REPORTED_VALUES_PER_REQUEST, reportedValueSchema } from '../kpi/reported-values.js';
import { type Endpoint, queryEnum, queryParam } from './endpoint.js';

/** Figures: KPIs, series, rankings, breakdowns, the month's projection, reported indicator values, dossiers and citizen feedback. */

/**
 * Body of `POST /api/v1/indicator-values`. The server checks the envelope itself and then each value on its own
 * (a bad value is rejected in the answer, the others are stored), so this is the shape it takes, not a gate.
 */
export const reportedValuesBodySchema = z.strictObject({
  values: z.array(reportedValueSchema).min(1).max(MAX_REPORTED_VALUES_PER_REQUEST),
});

const scope = queryParam('nation (default), province:<2 digits> or commune:<5 digits>', 'province:01');
const from = queryParam('First local date (Asia/Ho_Chi_Minh), YYYY-MM-DD; default today');
const to = queryParam('Last local date, inclusive, YYYY-MM-DD; default today. A period reaching today is measured at now.');

/** Query of `GET /api/v1/kpis` (and of the other figures of a scope and period). */
export const kpiQuerySchema = z.object({ scope, from, to });
/** Query of `GET /api/v1/kpis/series`. */
export const seriesQuerySchema = kpiQuerySchema.extend({
  granularity: queryEnum(['hour', 'day', 'month'], 'default day; hour spans ≤ 31 days, within the days of hourly figures kept (KPI_HOURLY_RETENTION_DAYS); month points cover whole months'),
});
/** Query of `GET /api/v1/rankings`. */
export const rankingQuerySchema = kpiQuerySchema.extend({
  by: queryParam(
    'points (default: kpi-v1 index score), index (kpi-v2: points earned over the sub-indicators every ranked unit with data has, named in ' +
      '`commonSubIndicators`), or a KPI id: onTime, online, fullOnline, digitized, eResult, onlinePayment, satisfaction',
  ),
  level: queryEnum(['province', 'commune'], 'nation: province (default) or commune; province: commune'),
});

/** Query of `GET /api/v1/dossiers`. */
export const dossierListQuerySchema = z.object({
  scope: queryParam("province:<2 digits> (its communes and its province-level dossiers) or commune:<5 digits>; default the caller's scope"),
  state: queryParam('due_soon, overdue, or both comma-separated (default both)'),
  dueWithinHours: queryParam(`due_soon: overdue within this many hours, 1–${MAX_DUE_WITHIN_HOURS}, default ${DEFAULT_DUE_WITHIN_HOURS}`),
  page: queryParam('from 1'),
  pageSize: queryParam('1–200, default 50'),
});

const feedbackScope = "nation, province:<2 digits> (its communes and its province-level feedback) or commune:<5 digits>; default the caller's scope";
const feedbackDates = 'Receipt date, YYYY-MM-DD (Asia/Ho_Chi_Minh); give from, to or both (the other defaults to today, as /kpis); neither: every item';
const feedbackTopic = queryParam(`${FEEDBACK_TOPICS.join(', ')}, comma-separated (default all)`);
/** Query of `GET /api/v1/feedback`. */
export const feedbackListQuerySchema = z.object({
  scope: queryParam(feedbackScope, 'commune:00004'),
  status: queryParam(`${FEEDBACK_STATUSES.join(', ')}, comma-separated (default all); answered is on time or late`),
  topic: feedbackTopic,
  from: queryParam(feedbackDates),
  to: queryParam(feedbackDates),
  limit: queryParam(`1–${MAX_FEEDBACK_LIMIT}, default ${DEFAULT_FEEDBACK_LIMIT}`),
  offset: queryParam('items to skip, default 0'),
});
/** Query of `GET /api/v1/feedback/summary`. */
export const feedbackSummaryQuerySchema = z.object({
  scope: queryParam(feedbackScope, 'province:01'),
  topic: feedbackTopic,
  from: queryParam(feedbackDates),
  to: queryParam(feedbackDates),
});

export const KPI_ENDPOINTS = {
  kpis: {
    method: 'GET',
    path: '/api/v1/kpis',
    access: 'signed-in',
    query: kpiQuerySchema,
    response: { status: 200, type: 'KpiResponse', description: 'KPIs of the scope and period, with the national index (kpi-v2)' },
  },
  series: {
    method: 'GET',
    path: '/api/v1/kpis/series',
    access: 'signed-in',
    query: seriesQuerySchema,
    response: { status: 200, type: 'SeriesResponse', description: 'KPIs per hour, day or month' },
  },
  rankings: {
    method: 'GET',
    path: '/api/v1/rankings',
    access: 'signed-in',
    query: rankingQuerySchema,
    response: { status: 200, type: 'RankingResponse', description: 'The units of the scope ranked by a KPI or by index score' },
  },
  bySector: {
    method: 'GET',
    path: '/api/v1/kpis/by-sector',
    access: 'signed-in',
    query: z.object({ scope, from: queryParam('YYYY-MM-DD, default today'), to: queryParam('YYYY-MM-DD, default today') }),
    response: { status: 200, type: 'SectorBreakdownResponse', description: 'The dossiers received in the period per sector and per procedure' },
  },
  projection: {
    method: 'GET',
    path: '/api/v1/kpis/projection',
    access: 'signed-in',
    query: z.object({ scope: queryParam('nation (default), province:<2 digits> or commune:<5 digits>', 'commune:00004') }),
    response: { status: 200, type: 'MonthProjection', description: "Where the current month's on-time rate ends: now, best, expected, worst" },
  },
  reportValues: {
    method: 'POST',
    path: '/api/v1/indicator-values',
    access: 'ingest-key',
    body: reportedValuesBodySchema,
    response: { status: 200, type: 'ReportedValuesResponse', description: 'Per-value results' },
  },
  reportedValues: {
    method: 'GET',
    path: '/api/v1/indicator-values',
    access: 'signed-in',
    query: kpiQuerySchema.extend({ to: queryParam('Last local date, inclusive; default today') }),
    response: { status: 200, type: 'ReportedValuesList', description: 'Reported indicator values of the scope for the months the period overlaps' },
  },
} as const satisfies Record<string, Endpoint>;

export const DOSSIER_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/dossiers',
    access: 'signed-in',
    query: dossierListQuerySchema,
    response: { status: 200, type: 'DossierListResponse', description: 'Dossiers to act on, most urgent first' },
  },
} as const satisfies Record<string, Endpoint>;

export const FEEDBACK_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/feedback',
    access: 'signed-in',
    query: feedbackListQuerySchema,
    response: { status: 200, type: 'FeedbackListResponse', description: 'Citizen feedback of the scope, open and overdue first' },
  },
  summary: {
    method: 'GET',
    path: '/api/v1/feedback/summary',
    access: 'signed-in',
    query: feedbackSummaryQuerySchema,
    response: { status: 200, type: 'FeedbackSummaryResponse', description: 'Counts of citizen feedback of the scope per state and topic' },
  },
} as const satisfies Record<string, Endpoint>;
