import { ALERT_ENDPOINTS } from './alerts.js';
import { AUDIT_ENDPOINTS, AUTH_ENDPOINTS, INGEST_KEY_ENDPOINTS, USER_ENDPOINTS } from './auth.js';
import type { Endpoint } from './endpoint.js';
import { DOSSIER_ENDPOINTS, FEEDBACK_ENDPOINTS, KPI_ENDPOINTS } from './figures.js';
import { CONNECTIVITY_ENDPOINTS, READINESS_ENDPOINTS } from './links.js';
import { NOTIFICATION_ENDPOINTS } from './notifications.js';
import { INGEST_ENDPOINTS, OPERATIONS_ENDPOINTS, UNIT_ENDPOINTS } from './platform.js';
import { REPORT_ENDPOINTS } from './reports.js';

export * from './endpoint.js';
export * from './alerts.js';
export * from './auth.js';
export * from './figures.js';
export * from './links.js';
export * from './notifications.js';
export * from './platform.js';
export * from './reports.js';
export * from './routes.js';

/**
 * Every HTTP endpoint of the server, by area and name: method, path, who may call it, the query and body
 * it takes (zod schemas) and what it answers. The server validates bodies with these schemas and builds the
 * OpenAPI document's parameters and request bodies from them; its contract test fails on a route missing here.
 */
export const API_CONTRACT = {
  auth: AUTH_ENDPOINTS,
  users: USER_ENDPOINTS,
  ingestKeys: INGEST_KEY_ENDPOINTS,
  audit: AUDIT_ENDPOINTS,
  alerts: ALERT_ENDPOINTS,
  notifications: NOTIFICATION_ENDPOINTS,
  connectivity: CONNECTIVITY_ENDPOINTS,
  readiness: READINESS_ENDPOINTS,
  reports: REPORT_ENDPOINTS,
  kpis: KPI_ENDPOINTS,
  dossiers: DOSSIER_ENDPOINTS,
  feedback: FEEDBACK_ENDPOINTS,
  ingest: INGEST_ENDPOINTS,
  units: UNIT_ENDPOINTS,
  operations: OPERATIONS_ENDPOINTS,
} as const satisfies Record<string, Record<string, Endpoint>>;

/** An endpoint of the table with its name, `area.name` (e.g. `alerts.acknowledge`). */
export interface NamedEndpoint extends Endpoint {
  name: string;
}

/** Every endpoint of the table, as a list. */
export const ENDPOINTS: readonly NamedEndpoint[] = Object.entries(API_CONTRACT).flatMap(([area, endpoints]) =>
  Object.entries(endpoints).map(([name, e]: [string, Endpoint]) => ({ ...e, name: `${area}.${name}` })),
);
