import { z } from 'zod';
import { REPORT_KINDS } from '../reports/api.js';
import { type Endpoint, queryEnum, queryParam } from './endpoint.js';

/** Archived reports: request bodies, queries and endpoints. */

/** Body of `POST /api/v1/reports` (ReportCreateRequest): a report of any scope and period, generated now (inclusive local dates). */
export const reportCreateBodySchema = z.strictObject({
  scope: z.string({ error: 'must be nation, province:<code> or commune:<code>' }).meta({ example: 'province:01' }),
  from: z.string({ error: 'must be a date YYYY-MM-DD' }).meta({ example: '2026-01-01' }),
  to: z.string({ error: 'must be a date YYYY-MM-DD' }).meta({ example: '2026-01-31' }),
});

/** Query of `GET /api/v1/reports`. */
export const reportListQuerySchema = z.object({
  scope: queryParam('nation, province:<2 digits> or commune:<5 digits>; 403 when the caller may not read its report'),
  kind: queryEnum(REPORT_KINDS),
  page: queryParam('from 1'),
  pageSize: queryParam('1–200, default 50'),
});

export const REPORT_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/reports',
    access: 'signed-in',
    query: reportListQuerySchema,
    response: { status: 200, type: 'ReportListResponse', description: 'A page of archived reports the caller may read, newest period first' },
  },
  create: {
    method: 'POST',
    path: '/api/v1/reports',
    access: 'signed-in',
    body: reportCreateBodySchema,
    response: { status: 201, type: 'Report', description: 'The report generated and archived, with the figures it was made from' },
  },
  pdf: {
    method: 'GET',
    path: '/api/v1/reports/:id.pdf',
    access: 'signed-in',
    response: { status: 200, type: 'application/pdf', description: 'The report as archived, as PDF (an attachment)' },
  },
  xlsx: {
    method: 'GET',
    path: '/api/v1/reports/:id.xlsx',
    access: 'signed-in',
    response: { status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', description: 'The report as archived, as an Excel workbook (an attachment)' },
  },
  get: {
    method: 'GET',
    path: '/api/v1/reports/:id',
    access: 'signed-in',
    response: { status: 200, type: 'Report', description: 'A report with the exact figures it was made from' },
  },
} as const satisfies Record<string, Endpoint>;
