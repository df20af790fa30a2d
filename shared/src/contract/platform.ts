import { z } from 'zod';
import type { ClientConfig } from '../api.js';
import { MAX_EVENTS_PER_BATCH, ingestEventSchema } from '../events.js';
import { type Endpoint, queryEnum } from './endpoint.js';

/** Ingestion, reference units and maps, and the operations endpoints (health, client settings, metrics). */

/**
 * Body of `POST /api/v1/events`. The server checks the envelope itself and then each event on its own
 * (a broken event is rejected in the answer and never holds back the others), so this is the shape it takes, not a gate.
 */
export const ingestBodySchema = z.strictObject({
  events: z.array(ingestEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Query of `POST /api/v1/events`. */
export const ingestQuerySchema = z.object({
  wait: queryEnum(['projected'], 'Answer only once the figures include the accepted events (up to 10 s; `projected` in the answer says whether they did).'),
});

const clientConfigSchema = z.object({
  mapStyleUrl: z.string().nullable(),
  hourlyRetentionDays: z.number().int(),
}) satisfies z.ZodType<ClientConfig>;

const geoJson = (description: string) => ({ status: 200, type: 'application/geo+json', description }) as const;

export const INGEST_ENDPOINTS = {
  events: {
    method: 'POST',
    path: '/api/v1/events',
    access: 'ingest-key',
    query: ingestQuerySchema,
    body: ingestBodySchema,
    response: { status: 200, type: 'IngestResponse', description: 'Per-event results, once the accepted events are durably stored' },
  },
  eventSource: {
    method: 'GET',
    path: '/api/v1/events/:eventId',
    access: 'admin',
    response: { status: 200, type: 'StoredEventSource', description: 'One stored event and the ingest key that sent it (a server type)' },
  },
  imports: {
    method: 'POST',
    path: '/api/v1/imports',
    access: 'ingest-key',
    response: { status: 200, type: 'ImportResponse', description: 'Counts of the outcomes of a CSV or NDJSON import (the body is the file, streamed)' },
  },
} as const satisfies Record<string, Endpoint>;

export const UNIT_ENDPOINTS = {
  provinces: { method: 'GET', path: '/api/v1/units/provinces', access: 'public', response: { status: 200, type: 'Province[]', description: 'The 34 provinces' } },
  province: { method: 'GET', path: '/api/v1/units/provinces/:code', access: 'public', response: { status: 200, type: 'Province', description: 'One province' } },
  communes: {
    method: 'GET',
    path: '/api/v1/units/provinces/:code/communes',
    access: 'public',
    response: { status: 200, type: 'Commune[]', description: "A province's communes, wards and special zones" },
  },
  commune: { method: 'GET', path: '/api/v1/units/communes/:code', access: 'public', response: { status: 200, type: 'Commune', description: 'One commune' } },
  geoProvinces: { method: 'GET', path: '/api/v1/geo/provinces', access: 'public', response: geoJson('Province boundaries (GeoJSON)') },
  geoCommunes: { method: 'GET', path: '/api/v1/geo/provinces/:code/communes', access: 'public', response: geoJson("One province's commune boundaries (GeoJSON)") },
} as const satisfies Record<string, Endpoint>;

export const OPERATIONS_ENDPOINTS = {
  health: {
    method: 'GET',
    path: '/api/v1/health',
    access: 'public',
    response: { status: 200, type: 'HealthResponse', description: 'Database, projection, demo feed and live stream of this process (503 when the database is down)' },
  },
  clientConfig: {
    method: 'GET',
    path: '/api/v1/client-config',
    access: 'public',
    response: { status: 200, type: 'ClientConfig', description: "The dashboard's settings", schema: clientConfigSchema },
  },
  metrics: {
    method: 'GET',
    path: '/metrics',
    access: 'public',
    response: { status: 200, type: 'text/plain', description: 'Prometheus metrics; outside the API and its OpenAPI document, guarded by METRICS_TOKEN' },
  },
} as const satisfies Record<string, Endpoint>;
