import type { z } from 'zod';
import type { ClientConfig, HealthResponse, KpiResponse, RankingResponse, SeriesResponse } from '../api.js';
import type { AlertAssignee, AlertDetail, AlertEvaluationStatus, AlertListResponse, RuleOverride, RuleResponse } from '../alerts/api.js';
import type { AuditListResponse, AuthOptions, CreatedIngestKey, IngestKeySummary, SessionUser, TokenResponse, UserSummary } from '../auth/api.js';
import type { ConnectivityResponse, ConnectivityTimeline, HeartbeatResponse } from '../connectivity/api.js';
import type { DossierListResponse, MonthProjection, SectorBreakdownResponse } from '../dossiers/api.js';
import type { IngestResponse } from '../events.js';
import type { FeedbackListResponse, FeedbackSummaryResponse } from '../feedback.js';
import type { ReportedValuesList, ReportedValuesResponse } from '../kpi/reported-values.js';
import type {
  CaughtMailResponse,
  ChannelTestResult,
  DeliveryListResponse,
  EscalationPolicy,
  NotificationChannel,
  NotificationContact,
  NotificationDelivery,
  NotificationGroup,
  NotificationSubscription,
} from '../notifications/api.js';
import type { ReadinessDetail, ReadinessListResponse, ReadinessWriteResponse } from '../readiness/api.js';
import type { ImportResponse } from '../records.js';
import type { Report, ReportListResponse } from '../reports/api.js';
import type { Commune, Province } from '../units.js';
import type { Endpoint } from './endpoint.js';
import type { API_CONTRACT } from './index.js';

/**
 * The types of API_CONTRACT's routes, by route (`area.name`, as NamedEndpoint names them): their path parameters,
 * query, body and answer, for a typed client. They are read from the table: the path's `:params`, the input of its
 * zod schemas, and the type its `response.type` names (ApiResponseTypes). A new endpoint needs a line in API_ROUTES
 * below too (and a new answer type an entry in ApiResponseTypes): tsc fails until it has one.
 */

type Contract = typeof API_CONTRACT;
type Area = keyof Contract;

/** The name of an endpoint of the table, `area.name` (e.g. `alerts.acknowledge`). */
export type ApiRoute = { [A in Area]: `${A}.${keyof Contract[A] & string}` }[Area];

/** The table's entry of a route. */
export type ApiEndpoint<R extends ApiRoute> = R extends `${infer A extends Area}.${infer N}` ? Contract[A][N & keyof Contract[A]] : never;

/** The parameters of an Express path: `/api/v1/alert-rules/:rule/overrides/:unit` → `rule | unit`; `/api/v1/reports/:id.pdf` → `id`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Rest}` ? ParamName<Rest extends `${infer Name}/${string}` ? Name : Rest> | PathParamNames<Rest> : never;
type ParamName<S extends string> = S extends `${infer Name}.${string}` ? Name : S;

/** A GeoJSON geometry, as far as a client reads it. */
export interface GeoJsonGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: GeoJsonGeometry[];
}

/** The boundaries `GET /api/v1/geo/…` serves (application/geo+json): a polygon per unit with its code and name (and a commune's type). */
export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string; name: string; type?: string }; geometry: GeoJsonGeometry | null }[];
}

/**
 * The TypeScript type of each answer the table names in `response.type`, by that name (`X[]` is a list of X); a
 * media type for an answer that is a file or text. Held to the table both ways by ApiResponseTypesMatchTable.
 */
export interface ApiResponseTypes {
  /** No body (204). */
  void: void;
  AlertAssignee: AlertAssignee;
  AlertDetail: AlertDetail;
  AlertEvaluationStatus: AlertEvaluationStatus;
  AlertListResponse: AlertListResponse;
  AuditListResponse: AuditListResponse;
  AuthOptions: AuthOptions;
  CaughtMailResponse: CaughtMailResponse;
  ChannelTestResult: ChannelTestResult;
  ClientConfig: ClientConfig;
  Commune: Commune;
  ConnectivityResponse: ConnectivityResponse;
  ConnectivityTimeline: ConnectivityTimeline;
  CreatedIngestKey: CreatedIngestKey;
  DeliveryListResponse: DeliveryListResponse;
  DossierListResponse: DossierListResponse;
  EscalationPolicy: EscalationPolicy;
  FeedbackListResponse: FeedbackListResponse;
  FeedbackSummaryResponse: FeedbackSummaryResponse;
  HealthResponse: HealthResponse;
  HeartbeatResponse: HeartbeatResponse;
  ImportResponse: ImportResponse;
  IngestKeySummary: IngestKeySummary;
  IngestResponse: IngestResponse;
  KpiResponse: KpiResponse;
  MonthProjection: MonthProjection;
  NotificationChannel: NotificationChannel;
  NotificationContact: NotificationContact;
  NotificationDelivery: NotificationDelivery;
  NotificationGroup: NotificationGroup;
  NotificationSubscription: NotificationSubscription;
  Province: Province;
  RankingResponse: RankingResponse;
  ReadinessDetail: ReadinessDetail;
  ReadinessListResponse: ReadinessListResponse;
  ReadinessWriteResponse: ReadinessWriteResponse;
  Report: Report;
  ReportListResponse: ReportListResponse;
  ReportedValuesList: ReportedValuesList;
  ReportedValuesResponse: ReportedValuesResponse;
  RuleOverride: RuleOverride;
  RuleResponse: RuleResponse;
  SectorBreakdownResponse: SectorBreakdownResponse;
  SeriesResponse: SeriesResponse;
  SessionUser: SessionUser;
  /** A server type (an admin's look at one stored event), not shared. */
  StoredEventSource: unknown;
  TokenResponse: TokenResponse;
  UserSummary: UserSummary;
  'application/geo+json': BoundaryCollection;
  /** The file's bytes. */
  'application/pdf': ArrayBuffer;
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ArrayBuffer;
  'text/plain': string;
}

/** The name in ApiResponseTypes of a `response.type`: `RuleResponse[]` → `RuleResponse`. */
type ResponseTypeName<T extends string> = T extends `${infer Item}[]` ? ResponseTypeName<Item> : T;
/** The type a `response.type` names. */
type ResponseOf<T extends string> = T extends `${infer Item}[]` ? ResponseOf<Item>[] : T extends keyof ApiResponseTypes ? ApiResponseTypes[T] : never;

/** What a route takes and answers. */
interface RouteTypes<E extends Endpoint> {
  method: E['method'];
  path: E['path'];
  access: E['access'];
  /** Its path parameters, by name (`{}` for a path without any). */
  params: { [K in PathParamNames<E['path']>]: string };
  /** Its query as a client gives it (undefined for a route without a query). */
  query: E extends { query: infer Q extends z.ZodType } ? z.input<Q> : undefined;
  /** Its JSON body as a client sends it (undefined for a route without one). */
  body: E extends { body: infer B extends z.ZodType } ? z.input<B> : undefined;
  /** Its answer on success. */
  response: ResponseOf<E['response']['type']>;
  /** The answer's `response.type` in the table: a type name, or the media type of a file or text. */
  responseType: E['response']['type'];
}

/** Every route of the table with its types: `ApiRoutes['alerts.acknowledge']['body']`, `ApiRoutes['kpis.kpis']['response']`. */
export type ApiRoutes = { [R in ApiRoute]: RouteTypes<ApiEndpoint<R>> };

type Within<A extends B, B> = A;
type NamedResponseTypes = ResponseTypeName<ApiRoutes[ApiRoute]['responseType']>;
/**
 * Compiles only while ApiResponseTypes has an entry for every `response.type` the table names, and none the table
 * does not name: tsc fails here, naming them, for an endpoint whose answer has no type yet or an entry left over.
 */
export type ApiResponseTypesMatchTable = [Within<NamedResponseTypes, keyof ApiResponseTypes>, Within<keyof ApiResponseTypes, NamedResponseTypes>];

/**
 * The method, path and access of every route, without the table's zod schemas: what a client needs at run time. The
 * dashboard builds its requests from it (the table builds its schemas at load, which would put zod into the
 * dashboard's first download). tsc holds it to the table: a route missing here, one the table lacks, or another
 * method, path or access fails to compile.
 */
export const API_ROUTES = {
  'auth.options': { method: 'GET', path: '/api/v1/auth/options', access: 'public' },
  'auth.signIn': { method: 'POST', path: '/api/v1/auth/sign-in', access: 'public' },
  'auth.refresh': { method: 'POST', path: '/api/v1/auth/refresh', access: 'public' },
  'auth.signOut': { method: 'POST', path: '/api/v1/auth/sign-out', access: 'public' },
  'auth.me': { method: 'GET', path: '/api/v1/auth/me', access: 'signed-in' },
  'auth.changePassword': { method: 'POST', path: '/api/v1/auth/password', access: 'signed-in' },
  'users.list': { method: 'GET', path: '/api/v1/users', access: 'admin' },
  'users.get': { method: 'GET', path: '/api/v1/users/:id', access: 'admin' },
  'users.create': { method: 'POST', path: '/api/v1/users', access: 'admin' },
  'users.update': { method: 'PATCH', path: '/api/v1/users/:id', access: 'admin' },
  'users.resetPassword': { method: 'POST', path: '/api/v1/users/:id/password', access: 'admin' },
  'ingestKeys.list': { method: 'GET', path: '/api/v1/ingest-keys', access: 'admin' },
  'ingestKeys.create': { method: 'POST', path: '/api/v1/ingest-keys', access: 'admin' },
  'ingestKeys.revoke': { method: 'DELETE', path: '/api/v1/ingest-keys/:id', access: 'admin' },
  'audit.list': { method: 'GET', path: '/api/v1/audit', access: 'admin' },
  'alerts.list': { method: 'GET', path: '/api/v1/alerts', access: 'signed-in' },
  'alerts.evaluation': { method: 'GET', path: '/api/v1/alerts/evaluation', access: 'signed-in' },
  'alerts.detail': { method: 'GET', path: '/api/v1/alerts/:id', access: 'signed-in' },
  'alerts.acknowledge': { method: 'POST', path: '/api/v1/alerts/:id/acknowledge', access: 'signed-in' },
  'alerts.assignees': { method: 'GET', path: '/api/v1/alerts/:id/assignees', access: 'signed-in' },
  'alerts.assign': { method: 'POST', path: '/api/v1/alerts/:id/assign', access: 'signed-in' },
  'alerts.comment': { method: 'POST', path: '/api/v1/alerts/:id/comments', access: 'signed-in' },
  'alerts.rules': { method: 'GET', path: '/api/v1/alert-rules', access: 'signed-in' },
  'alerts.overrides': { method: 'GET', path: '/api/v1/alert-rules/:rule/overrides', access: 'signed-in' },
  'alerts.setOverride': { method: 'PUT', path: '/api/v1/alert-rules/:rule/overrides/:unit', access: 'signed-in' },
  'alerts.deleteOverride': { method: 'DELETE', path: '/api/v1/alert-rules/:rule/overrides/:unit', access: 'signed-in' },
  'notifications.channels': { method: 'GET', path: '/api/v1/notifications/channels', access: 'admin' },
  'notifications.createChannel': { method: 'POST', path: '/api/v1/notifications/channels', access: 'admin' },
  'notifications.updateChannel': { method: 'PATCH', path: '/api/v1/notifications/channels/:id', access: 'admin' },
  'notifications.deleteChannel': { method: 'DELETE', path: '/api/v1/notifications/channels/:id', access: 'admin' },
  'notifications.testChannel': { method: 'POST', path: '/api/v1/notifications/channels/:id/test', access: 'admin' },
  'notifications.contacts': { method: 'GET', path: '/api/v1/notifications/contacts', access: 'admin' },
  'notifications.setContact': { method: 'PUT', path: '/api/v1/notifications/contacts/:userId', access: 'admin' },
  'notifications.groups': { method: 'GET', path: '/api/v1/notifications/groups', access: 'admin' },
  'notifications.createGroup': { method: 'POST', path: '/api/v1/notifications/groups', access: 'admin' },
  'notifications.updateGroup': { method: 'PATCH', path: '/api/v1/notifications/groups/:id', access: 'admin' },
  'notifications.deleteGroup': { method: 'DELETE', path: '/api/v1/notifications/groups/:id', access: 'admin' },
  'notifications.subscriptions': { method: 'GET', path: '/api/v1/notifications/subscriptions', access: 'admin' },
  'notifications.createSubscription': { method: 'POST', path: '/api/v1/notifications/subscriptions', access: 'admin' },
  'notifications.updateSubscription': { method: 'PATCH', path: '/api/v1/notifications/subscriptions/:id', access: 'admin' },
  'notifications.deleteSubscription': { method: 'DELETE', path: '/api/v1/notifications/subscriptions/:id', access: 'admin' },
  'notifications.escalationPolicy': { method: 'GET', path: '/api/v1/notifications/escalation-policy', access: 'admin' },
  'notifications.setEscalationPolicy': { method: 'PUT', path: '/api/v1/notifications/escalation-policy', access: 'admin' },
  'notifications.deliveries': { method: 'GET', path: '/api/v1/notifications/deliveries', access: 'signed-in' },
  'notifications.deadLetters': { method: 'GET', path: '/api/v1/notifications/dead-letters', access: 'admin' },
  'notifications.redeliver': { method: 'POST', path: '/api/v1/notifications/deliveries/:id/retry', access: 'admin' },
  'notifications.caughtMail': { method: 'GET', path: '/api/v1/notifications/caught-mail', access: 'admin' },
  'connectivity.heartbeat': { method: 'POST', path: '/api/v1/heartbeats', access: 'ingest-key' },
  'connectivity.current': { method: 'GET', path: '/api/v1/connectivity', access: 'signed-in' },
  'connectivity.timeline': { method: 'GET', path: '/api/v1/connectivity/:communeCode/timeline', access: 'signed-in' },
  'readiness.list': { method: 'GET', path: '/api/v1/readiness', access: 'signed-in' },
  'readiness.detail': { method: 'GET', path: '/api/v1/readiness/:communeCode', access: 'signed-in' },
  'readiness.update': { method: 'PUT', path: '/api/v1/readiness/:communeCode', access: 'admin' },
  'readiness.push': { method: 'POST', path: '/api/v1/readiness', access: 'ingest-key' },
  'reports.list': { method: 'GET', path: '/api/v1/reports', access: 'signed-in' },
  'reports.create': { method: 'POST', path: '/api/v1/reports', access: 'signed-in' },
  'reports.pdf': { method: 'GET', path: '/api/v1/reports/:id.pdf', access: 'signed-in' },
  'reports.xlsx': { method: 'GET', path: '/api/v1/reports/:id.xlsx', access: 'signed-in' },
  'reports.get': { method: 'GET', path: '/api/v1/reports/:id', access: 'signed-in' },
  'kpis.kpis': { method: 'GET', path: '/api/v1/kpis', access: 'signed-in' },
  'kpis.series': { method: 'GET', path: '/api/v1/kpis/series', access: 'signed-in' },
  'kpis.rankings': { method: 'GET', path: '/api/v1/rankings', access: 'signed-in' },
  'kpis.bySector': { method: 'GET', path: '/api/v1/kpis/by-sector', access: 'signed-in' },
  'kpis.projection': { method: 'GET', path: '/api/v1/kpis/projection', access: 'signed-in' },
  'kpis.reportValues': { method: 'POST', path: '/api/v1/indicator-values', access: 'ingest-key' },
  'kpis.reportedValues': { method: 'GET', path: '/api/v1/indicator-values', access: 'signed-in' },
  'dossiers.list': { method: 'GET', path: '/api/v1/dossiers', access: 'signed-in' },
  'feedback.list': { method: 'GET', path: '/api/v1/feedback', access: 'signed-in' },
  'feedback.summary': { method: 'GET', path: '/api/v1/feedback/summary', access: 'signed-in' },
  'ingest.events': { method: 'POST', path: '/api/v1/events', access: 'ingest-key' },
  'ingest.eventSource': { method: 'GET', path: '/api/v1/events/:eventId', access: 'admin' },
  'ingest.imports': { method: 'POST', path: '/api/v1/imports', access: 'ingest-key' },
  'units.provinces': { method: 'GET', path: '/api/v1/units/provinces', access: 'public' },
  'units.province': { method: 'GET', path: '/api/v1/units/provinces/:code', access: 'public' },
  'units.communes': { method: 'GET', path: '/api/v1/units/provinces/:code/communes', access: 'public' },
  'units.commune': { method: 'GET', path: '/api/v1/units/communes/:code', access: 'public' },
  'units.geoProvinces': { method: 'GET', path: '/api/v1/geo/provinces', access: 'public' },
  'units.geoCommunes': { method: 'GET', path: '/api/v1/geo/provinces/:code/communes', access: 'public' },
  'operations.health': { method: 'GET', path: '/api/v1/health', access: 'public' },
  'operations.clientConfig': { method: 'GET', path: '/api/v1/client-config', access: 'public' },
  'operations.metrics': { method: 'GET', path: '/metrics', access: 'public' },
} as const satisfies { readonly [R in ApiRoute]: Pick<ApiRoutes[R], 'method' | 'path' | 'access'> };
