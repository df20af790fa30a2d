import { z } from 'zod';
import type { HeartbeatResponse } from '../connectivity/api.js';
import { LINK_REASONS, LINK_STATES } from '../connectivity/api.js';
import { READINESS_FIELDS, READINESS_FIELD_INFO, type ReadinessField, type ReadinessWriteResponse } from '../readiness/api.js';
import { isLocalDate } from '../time.js';
import { type Endpoint, queryParam } from './endpoint.js';

/** Why a commune lags: its link (heartbeats, connectivity) and its readiness profile. Request bodies, queries and endpoints. */

const OFFSET_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const count = (max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'may not be negative')
    .max(max, `at most ${max.toLocaleString('en')}`);

/** Body of `POST /api/v1/heartbeats` (HeartbeatRequest in connectivity/api.ts). */
export const heartbeatBodySchema = z.strictObject({
  communeCode: z
    .string({ error: 'communeCode must be a 5-digit commune code, as a string' })
    .regex(/^\d{5}$/, 'communeCode must be a 5-digit commune code (2025 codes), e.g. "00004"')
    .optional(),
  sentAt: z
    .string({ error: 'sentAt must be an ISO-8601 instant with an offset' })
    .regex(OFFSET_INSTANT, 'sentAt must be an ISO-8601 instant with an offset, e.g. 2026-01-05T08:30:00+07:00')
    .refine((s) => Number.isFinite(Date.parse(s)), 'sentAt is not a real instant')
    .optional(),
  latencyMs: count(3_600_000).nullable().optional(),
  backlogEvents: count(1e12).optional(),
  oldestBacklogSeconds: count(100 * 365 * 86_400)
    .nullable()
    .optional(),
  intervalSeconds: z.number({ error: 'must be a whole number of seconds' }).int('must be a whole number of seconds').min(5, 'at least 5 seconds').max(3600, 'at most 3,600 seconds').optional(),
  agent: z.string({ error: 'agent must be text' }).max(100, 'at most 100 characters').optional().describe("The relay's name and version, e.g. ioc-relay/0.1.0"),
});

/** Communes one readiness push may carry. */
export const MAX_READINESS_PUSH_COMMUNES = 5000;

const localDate = z.string({ error: 'asOf must be a local date YYYY-MM-DD' }).refine((s) => isLocalDate(s), 'asOf must be a local date YYYY-MM-DD, e.g. "2026-11-30"');

/** One field's value, its date and source; the value's bounds follow the field (README "Readiness"). */
const readinessInput = (field: ReadinessField) => {
  const info = READINESS_FIELD_INFO[field];
  const num = z.number({ error: `value must be a number` });
  const value =
    info.kind === 'count'
      ? num
          .int('value must be a whole number')
          .min(0, 'value may not be negative')
          .max(info.max, `value is at most ${info.max.toLocaleString('en')}`)
      : info.kind === 'percent'
        ? num.min(0, 'value is a percentage from 0 to 100').max(100, 'value is a percentage from 0 to 100')
        : z.union([z.boolean(), z.literal(0), z.literal(1)], { error: 'value must be true or false (or 1 or 0)' }).transform((v) => (v === true || v === 1 ? 1 : 0));
  return z.strictObject({
    value,
    asOf: localDate,
    source: z.string({ error: 'source must be text' }).trim().min(1, 'source is required: say where the value comes from').max(200, 'source is at most 200 characters'),
  });
};

const readinessValues = z
  .strictObject(Object.fromEntries(READINESS_FIELDS.map((f) => [f, readinessInput(f).optional()])) as Record<ReadinessField, z.ZodOptional<ReturnType<typeof readinessInput>>>)
  .refine((v) => Object.values(v).some((x) => x !== undefined), `name at least one field: ${READINESS_FIELDS.join(', ')}`);

/** Body of `PUT /api/v1/readiness/:communeCode` (ReadinessUpdate). */
export const readinessUpdateBodySchema = z.strictObject({ values: readinessValues });

/** Body of `POST /api/v1/readiness` (ReadinessPush). */
export const readinessPushBodySchema = z.strictObject({
  communes: z
    .array(
      z.strictObject({
        communeCode: z.string({ error: 'communeCode must be a 5-digit commune code' }).regex(/^\d{5}$/, 'communeCode must be a 5-digit commune code (2025 codes), e.g. "00004"'),
        values: readinessValues,
      }),
      { error: 'communes must be a list' },
    )
    .min(1, 'communes may not be empty')
    .max(MAX_READINESS_PUSH_COMMUNES, `at most ${MAX_READINESS_PUSH_COMMUNES.toLocaleString('en')} communes at once`),
});

const scopeOrOwn = queryParam("nation, province:<2 digits> or commune:<5 digits>; default the caller's scope", 'province:04');

const heartbeatResponseSchema = z.object({
  communeCode: z.string(),
  receivedAt: z.string(),
  state: z.enum(LINK_STATES),
  reasons: z.array(z.enum(LINK_REASONS)),
}) satisfies z.ZodType<HeartbeatResponse>;
const readinessWriteSchema = z.object({ recorded: z.number().int(), unchanged: z.number().int() }) satisfies z.ZodType<ReadinessWriteResponse>;

export const CONNECTIVITY_ENDPOINTS = {
  heartbeat: {
    method: 'POST',
    path: '/api/v1/heartbeats',
    access: 'ingest-key',
    body: heartbeatBodySchema,
    response: { status: 200, type: 'HeartbeatResponse', description: "Stored; the link's state as this heartbeat shows it", schema: heartbeatResponseSchema },
  },
  current: {
    method: 'GET',
    path: '/api/v1/connectivity',
    access: 'signed-in',
    query: z.object({ scope: scopeOrOwn }),
    response: { status: 200, type: 'ConnectivityResponse', description: 'Counts per link state and one row per commune of the scope' },
  },
  timeline: {
    method: 'GET',
    path: '/api/v1/connectivity/:communeCode/timeline',
    access: 'signed-in',
    query: z.object({
      from: queryParam('First local date (Asia/Ho_Chi_Minh), YYYY-MM-DD; default today'),
      to: queryParam('Last local date, inclusive; default today; at most 31 days in all'),
    }),
    response: { status: 200, type: 'ConnectivityTimeline', description: "A commune's link intervals, outages and totals over local days" },
  },
} as const satisfies Record<string, Endpoint>;

export const READINESS_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/readiness',
    access: 'signed-in',
    query: z.object({ scope: scopeOrOwn }),
    response: { status: 200, type: 'ReadinessListResponse', description: 'One readiness row per commune of the scope, with its link summary' },
  },
  detail: {
    method: 'GET',
    path: '/api/v1/readiness/:communeCode',
    access: 'signed-in',
    query: z.object({}),
    response: { status: 200, type: 'ReadinessDetail', description: "A commune's readiness profile and every version of each field" },
  },
  update: {
    method: 'PUT',
    path: '/api/v1/readiness/:communeCode',
    access: 'admin',
    body: readinessUpdateBodySchema,
    response: { status: 200, type: 'ReadinessWriteResponse', description: 'Versions recorded, and values equal to the current version', schema: readinessWriteSchema },
  },
  push: {
    method: 'POST',
    path: '/api/v1/readiness',
    access: 'ingest-key',
    body: readinessPushBodySchema,
    response: { status: 200, type: 'ReadinessWriteResponse', description: 'Versions recorded, and values equal to the current version', schema: readinessWriteSchema },
  },
} as const satisfies Record<string, Endpoint>;
