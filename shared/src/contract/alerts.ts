import { z } from 'zod';
import type { AlertEvaluationStatus } from '../alerts/api.js';
import { SEVERITIES, type Severity } from '../alerts/rules.js';
import { type Endpoint, queryEnum, queryParam } from './endpoint.js';

/** Alerts and alert rules: request bodies, queries and endpoints. Messages are prefixed with the field's name when a body is refused. */

const note = z.string({ error: 'must be text' }).trim().max(2000, 'at most 2,000 characters');

/** Body of `POST /api/v1/alerts/:id/acknowledge`. */
export const alertAcknowledgeBodySchema = z.strictObject({ note: note.optional() });
/** Body of `POST /api/v1/alerts/:id/assign`. */
export const alertAssignBodySchema = z.strictObject({
  assignee: z
    .string({ error: 'whom to assign the alert to is required' })
    .trim()
    .min(1, 'whom to assign the alert to is required')
    .max(100, 'at most 100 characters')
    .describe('a username from GET /alerts/{id}/assignees'),
  note: note.optional(),
});
/** Body of `POST /api/v1/alerts/:id/comments`. */
export const alertCommentBodySchema = z.strictObject({
  note: z.string({ error: 'the comment is required' }).trim().min(1, 'the comment is empty').max(2000, 'at most 2,000 characters'),
});

const thresholds = z.strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().finite().optional()])) as Record<Severity, z.ZodOptional<z.ZodNumber>>);
/** Body of `PUT /api/v1/alert-rules/:rule/overrides/:unit`: the parameters to set, merged with what is set. */
export const ruleOverrideBodySchema = z.strictObject({
  thresholds: thresholds.optional(),
  hysteresis: z.number().min(0).optional(),
  pendingMinutes: z.number().int().min(0).max(1440).optional(),
  clearMinutes: z.number().int().min(0).max(1440).optional(),
  minVolume: z.number().min(0).optional(),
  enabled: z.boolean().optional(),
});

/** Query of `GET /api/v1/alerts`. */
export const alertListQuerySchema = z.object({
  status: queryEnum(['active', 'cleared']),
  acknowledged: queryEnum(['true', 'false']),
  severity: queryParam('comma-separated: critical, major, minor, warning'),
  scope: queryParam("the caller's scope (default), or nation, province:<2 digits> (its communes and itself) or commune:<5 digits> within it"),
  rule: queryParam('a rule id, e.g. commune-on-time-7d'),
  assignee: queryParam('assigned to this username, or to the caller: me'),
  from: queryParam('fired on or after this local date, YYYY-MM-DD'),
  to: queryParam('fired on or before this local date, YYYY-MM-DD'),
  page: queryParam('from 1'),
  pageSize: queryParam('1–200, default 50'),
});

const alertEvaluationSchema = z.object({
  evaluatedAt: z.string().nullable(),
  evaluated: z.number().nullable(),
  everySeconds: z.number().nullable(),
}) satisfies z.ZodType<AlertEvaluationStatus>;

const alertDetail = (description: string) => ({ status: 200, type: 'AlertDetail', description }) as const;

export const ALERT_ENDPOINTS = {
  list: {
    method: 'GET',
    path: '/api/v1/alerts',
    access: 'signed-in',
    query: alertListQuerySchema,
    response: { status: 200, type: 'AlertListResponse', description: 'A page of alerts, active first, most severe first, newest first' },
  },
  evaluation: {
    method: 'GET',
    path: '/api/v1/alerts/evaluation',
    access: 'signed-in',
    query: z.object({}),
    response: { status: 200, type: 'AlertEvaluationStatus', description: 'When the alert engine last evaluated every rule', schema: alertEvaluationSchema },
  },
  detail: { method: 'GET', path: '/api/v1/alerts/:id', access: 'signed-in', response: alertDetail('One alert with the values that made it fire and its history') },
  acknowledge: {
    method: 'POST',
    path: '/api/v1/alerts/:id/acknowledge',
    access: 'signed-in',
    body: alertAcknowledgeBodySchema,
    response: alertDetail('The alert, acknowledged'),
  },
  assignees: {
    method: 'GET',
    path: '/api/v1/alerts/:id/assignees',
    access: 'signed-in',
    response: { status: 200, type: 'AlertAssignee[]', description: 'The people the alert may be assigned to' },
  },
  assign: { method: 'POST', path: '/api/v1/alerts/:id/assign', access: 'signed-in', body: alertAssignBodySchema, response: alertDetail('The alert, assigned') },
  comment: { method: 'POST', path: '/api/v1/alerts/:id/comments', access: 'signed-in', body: alertCommentBodySchema, response: alertDetail('The alert with the comment') },
  rules: {
    method: 'GET',
    path: '/api/v1/alert-rules',
    access: 'signed-in',
    response: { status: 200, type: 'RuleResponse[]', description: 'The default rules, with how many overrides each has' },
  },
  overrides: {
    method: 'GET',
    path: '/api/v1/alert-rules/:rule/overrides',
    access: 'signed-in',
    response: { status: 200, type: 'RuleOverride[]', description: "A rule's province and commune overrides" },
  },
  setOverride: {
    method: 'PUT',
    path: '/api/v1/alert-rules/:rule/overrides/:unit',
    access: 'signed-in',
    body: ruleOverrideBodySchema,
    response: { status: 200, type: 'RuleOverride', description: 'The override as set' },
  },
  deleteOverride: {
    method: 'DELETE',
    path: '/api/v1/alert-rules/:rule/overrides/:unit',
    access: 'signed-in',
    response: { status: 204, type: 'void', description: 'Nothing (204): the defaults apply again' },
  },
} as const satisfies Record<string, Endpoint>;
