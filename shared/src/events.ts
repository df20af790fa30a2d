import { z } from 'zod';
import { FEEDBACK_TOPICS } from './feedback.js';

/**
 * The ingest contract: dossier lifecycle events pushed by commune and
 * provincial one-stop systems to `POST /api/v1/events`. Version 1.1 is additive
 * (every v1 event stays valid): optional attributes on `received` and
 * `result_issued` (absent = unknown, never false), the `synced` event, and the
 * feedback (PAKN) events `feedback_received`, `feedback_answered`, `feedback_rated`.
 */
export const INGEST_CONTRACT_VERSION = '1.1';
export const MAX_EVENTS_PER_BATCH = 5000;
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
/** Clock skew tolerated for `occurredAt` in the future. */
export const MAX_FUTURE_SKEW_MS = 2 * 60_000;
/** The earliest instant an event may carry: no one-stop system holds dossiers from before 2000. */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00+07:00';
export const EARLIEST_INSTANT_MS = Date.parse(EARLIEST_INSTANT);
/** The latest appointment (`dueAt`) after the receipt: 5 years. */
export const MAX_DUE_AFTER_MS = 5 * 366 * 86_400_000;

export const EVENT_TYPES = ['received', 'supplement_requested', 'supplement_received', 'digitized', 'completed', 'result_issued', 'paid', 'rated', 'synced'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CHANNELS = ['online', 'direct', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];
export const OUTCOMES = ['resolved', 'rejected', 'stopped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A UTC offset in use somewhere in the world: -12:00 to +14:00, in whole, half or three-quarter hours. */
export function isRealOffset(instant: string): boolean {
  const m = /(Z|([+-])(\d{2}):(\d{2}))$/.exec(instant);
  if (!m) return false;
  if (m[1] === 'Z') return true;
  const minutes = Number(m[3]) * 60 + Number(m[4]);
  if (!['00', '30', '45'].includes(m[4]!)) return false;
  return m[2] === '+' ? minutes <= 14 * 60 : minutes <= 12 * 60;
}
const instant = (field: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${field} must be an ISO-8601 instant with an offset, e.g. 2026-01-05T08:30:00+07:00`,
    })
    .refine(isRealOffset, {
      error: `${field} has a UTC offset no place uses; offsets run from -12:00 to +14:00 (Vietnam is +07:00)`,
    });
const bool = (field: string) => z.boolean({ error: `${field} must be true or false` });
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Text PostgreSQL can store: no NUL character, no unpaired surrogate half. */
function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !UNPAIRED_SURROGATE.test(s);
}
const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .refine(isStorableText, { error: `${field} must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates` });

const base = {
  eventId: text('eventId', 128),
  occurredAt: instant('occurredAt'),
  dossierId: text('dossierId', 128),
  communeCode: z
    .string()
    .regex(/^\d{5}$/, { error: 'communeCode must be a 5-digit code' })
    .optional(),
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { error: 'provinceCode must be a 2-digit code' })
    .optional(),
};

const receivedEvent = z.strictObject({
  ...base,
  type: z.literal('received'),
  procedureCode: text('procedureCode', 64),
  sector: text('sector', 200),
  channel: z.enum(CHANNELS, { error: 'channel must be one of online, direct, postal' }),
  fullOnlineEligible: bool('fullOnlineEligible'),
  resultRequired: bool('resultRequired'),
  feeRequired: bool('feeRequired'),
  dueAt: instant('dueAt'),
  // v1.1: absent = unknown.
  reusedDigitizedData: bool('reusedDigitizedData').optional(),
  citizenDataUsed: bool('citizenDataUsed').optional(),
  fromCitizenStore: bool('fromCitizenStore').optional(),
});
const plainEvent = (type: 'supplement_requested' | 'supplement_received' | 'digitized' | 'synced') => z.strictObject({ ...base, type: z.literal(type) });
const completedEvent = z.strictObject({
  ...base,
  type: z.literal('completed'),
  outcome: z.enum(OUTCOMES, { error: 'outcome must be one of resolved, rejected, stopped' }),
});
const resultIssuedEvent = z.strictObject({
  ...base,
  type: z.literal('result_issued'),
  electronic: bool('electronic'),
  // v1.1: the electronic result was synced to the citizen's data store (absent = unknown).
  syncedToCitizenStore: bool('syncedToCitizenStore').optional(),
});
const paidEvent = z.strictObject({ ...base, type: z.literal('paid'), online: bool('online') });
const ratedEvent = z.strictObject({
  ...base,
  type: z.literal('rated'),
  satisfied: bool('satisfied'),
  complaint: bool('complaint'),
});

export const dossierEventSchema = z
  .discriminatedUnion(
    'type',
    [receivedEvent, plainEvent('supplement_requested'), plainEvent('supplement_received'), plainEvent('digitized'), completedEvent, resultIssuedEvent, paidEvent, ratedEvent, plainEvent('synced')],
    { error: `type must be one of ${EVENT_TYPES.join(', ')}` },
  )
  .refine((e) => (e.communeCode === undefined) !== (e.provinceCode === undefined), {
    error: 'exactly one of communeCode (5 digits) or provinceCode (2 digits) is required',
  });

export type DossierEvent = z.infer<typeof dossierEventSchema>;
export type ReceivedEvent = z.infer<typeof receivedEvent>;

export interface IngestRequest {
  events: unknown[];
}

/**
 * `accepted`: stored now; `duplicate`: this source already sent this very event (a replay is a no-op);
 * `conflict`: the eventId is taken by another source's event or by different content (nothing stored; send a new eventId);
 * `rejected`: invalid, or outside the key's scope (the reason says which).
 */
export type EventResultStatus = 'accepted' | 'duplicate' | 'conflict' | 'rejected';
export interface EventResult {
  index: number;
  eventId: string | null;
  status: EventResultStatus;
  reason?: string;
}
export interface IngestResponse {
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  /**
   * Log position of this request's last accepted event (null when none was accepted):
   * the figures include it once a KPI answer's `projection.watermark` reaches it.
   */
  position: number | null;
  /** With `?wait=projected`: whether the figures included these events before the answer (up to 10 s). */
  projected?: boolean;
  results: EventResult[];
}

export type ParsedEvent = { ok: true; event: DossierEvent; occurredAtMs: number } | { ok: false; eventId: string | null; reason: string };

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: object): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
      const path = i.path.join('.');
      // Issues do not carry their input: a field of the wrong type is named by its own message.
      if (i.code === 'invalid_type' && path && (raw as Record<string, unknown>)[path] === undefined) return `${path} is required`;
      return i.message;
    })
    .join('; ');
}

/*
 * The schema above is the contract of record (OpenAPI, messages); running it costs
 * about 5 µs an event, more than storing the event. `conformingEvent` is the same
 * contract written out by hand for the events that pass it: it either returns
 * exactly what the schema returns (same fields, same order, text trimmed) or
 * null, and parseEvent then asks the schema, whose issues make the reason. So a
 * rejected event is always judged by the schema itself; events.spec.ts compares
 * both on many generated valid and invalid events.
 */

/** The pattern z.iso.datetime({ offset: true }) tests. */
const INSTANT_PATTERN: RegExp = (() => {
  const p = z.iso.datetime({ offset: true })._zod.def.pattern;
  if (!(p instanceof RegExp)) throw new Error('zod no longer exposes the pattern of an ISO datetime');
  return p;
})();
export const COMMUNE_PATTERN = /^\d{5}$/;
export const PROVINCE_PATTERN = /^\d{2}$/;
const CHANNEL_SET: ReadonlySet<unknown> = new Set(CHANNELS);
const OUTCOME_SET: ReadonlySet<unknown> = new Set(OUTCOMES);

/** A text field as the schema keeps it (trimmed), or null when the schema would not accept it. */
export function conformingText(v: unknown, max: number): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  if (t.length === 0 || t.length > max) return null;
  // Most text is plain ASCII without NUL: one pass over the code units instead of two regular expressions.
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return t.includes('\u0000') || UNPAIRED_SURROGATE.test(t) ? null : t;
  }
  return t;
}

/** An instant the schema accepts (pattern and offset). */
export function conformingInstant(v: unknown): v is string {
  return typeof v === 'string' && INSTANT_PATTERN.test(v) && realOffsetOfInstant(v);
}

/** isRealOffset for a string the instant pattern accepted (it ends in Z or in ±HH:MM), without a regular expression. */
function realOffsetOfInstant(v: string): boolean {
  const n = v.length;
  if (v.charCodeAt(n - 1) === 90) return true;
  const mm = (v.charCodeAt(n - 2) - 48) * 10 + (v.charCodeAt(n - 1) - 48);
  if (mm !== 0 && mm !== 30 && mm !== 45) return false;
  const minutes = ((v.charCodeAt(n - 5) - 48) * 10 + (v.charCodeAt(n - 4) - 48)) * 60 + mm;
  return v.charCodeAt(n - 6) === 43 ? minutes <= 14 * 60 : minutes <= 12 * 60;
}

/** The fields each type allows besides the envelope, and how each is checked; the order is the schema's (and its output's). */
type FieldCheck = 'procedureCode' | 'sector' | 'channel' | 'outcome' | 'bool' | 'instant' | 'optionalBool';
const OWN_FIELDS: Readonly<Record<EventType, readonly (readonly [string, FieldCheck])[]>> = {
  received: [
    ['procedureCode', 'procedureCode'],
    ['sector', 'sector'],
    ['channel', 'channel'],
    ['fullOnlineEligible', 'bool'],
    ['resultRequired', 'bool'],
    ['feeRequired', 'bool'],
    ['dueAt', 'instant'],
    ['reusedDigitizedData', 'optionalBool'],
    ['citizenDataUsed', 'optionalBool'],
    ['fromCitizenStore', 'optionalBool'],
  ],
  supplement_requested: [],
  supplement_received: [],
  digitized: [],
  completed: [['outcome', 'outcome']],
  result_issued: [
    ['electronic', 'bool'],
    ['syncedToCitizenStore', 'optionalBool'],
  ],
  paid: [['online', 'bool']],
  rated: [
    ['satisfied', 'bool'],
    ['complaint', 'bool'],
  ],
  synced: [],
};
/** Fields each type requires besides the envelope. */
const REQUIRED_OWN: Readonly<Record<EventType, number>> = Object.fromEntries(EVENT_TYPES.map((t) => [t, OWN_FIELDS[t].filter(([, c]) => c !== 'optionalBool').length])) as Record<EventType, number>;
const ENVELOPE = ['eventId', 'occurredAt', 'dossierId', 'communeCode', 'provinceCode', 'type'] as const;
const ALLOWED_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map(EVENT_TYPES.map((t) => [t, new Set<string>([...ENVELOPE, ...OWN_FIELDS[t].map(([k]) => k)])]));

/**
 * The schema's output for an event that conforms to it, null otherwise (including
 * anything unusual the schema alone should judge: a key set to undefined, an
 * object that is not a plain one).
 */
export function conformingEvent(raw: object): DossierEvent | null {
  const proto = Object.getPrototypeOf(raw) as unknown;
  if (proto !== Object.prototype && proto !== null) return null;
  const r = raw as Record<string, unknown>;
  const type = r.type;
  const allowed = typeof type === 'string' ? ALLOWED_KEYS.get(type) : undefined;
  if (allowed === undefined) return null;
  const own = OWN_FIELDS[type as EventType];
  let present = 0;
  for (const k in r) {
    if (!allowed.has(k) || r[k] === undefined) return null;
    present++;
  }
  const eventId = conformingText(r.eventId, 128);
  if (eventId === null) return null;
  const occurredAt = r.occurredAt;
  if (!conformingInstant(occurredAt)) return null;
  const dossierId = conformingText(r.dossierId, 128);
  if (dossierId === null) return null;
  const communeCode = r.communeCode;
  const provinceCode = r.provinceCode;
  const out: Record<string, unknown> = { eventId, occurredAt, dossierId };
  if (communeCode !== undefined) {
    if (typeof communeCode !== 'string' || !COMMUNE_PATTERN.test(communeCode) || provinceCode !== undefined) return null;
    out.communeCode = communeCode;
  } else {
    if (typeof provinceCode !== 'string' || !PROVINCE_PATTERN.test(provinceCode)) return null;
    out.provinceCode = provinceCode;
  }
  out.type = type;
  let expected = 5 + REQUIRED_OWN[type as EventType];
  for (const [k, check] of own) {
    const v = r[k];
    switch (check) {
      case 'optionalBool':
        if (v === undefined) break;
        if (typeof v !== 'boolean') return null;
        out[k] = v;
        expected++;
        break;
      case 'procedureCode': {
        const t = conformingText(v, 64);
        if (t === null) return null;
        out[k] = t;
        break;
      }
      case 'sector': {
        const t = conformingText(v, 200);
        if (t === null) return null;
        out[k] = t;
        break;
      }
      case 'channel':
        if (!CHANNEL_SET.has(v)) return null;
        out[k] = v;
        break;
      case 'outcome':
        if (!OUTCOME_SET.has(v)) return null;
        out[k] = v;
        break;
      case 'bool':
        if (typeof v !== 'boolean') return null;
        out[k] = v;
        break;
      case 'instant':
        if (!conformingInstant(v)) return null;
        out[k] = v;
        break;
    }
  }
  // Every key present was allowed and checked; none missing (4 envelope fields, one unit code, the type's own).
  if (present !== expected) return null;
  return out as DossierEvent;
}

/**
 * Validates one event of a batch: the schema, then the rules a schema cannot say
 * (instants in the future, an appointment before the receipt).
 */
export function parseEvent(raw: unknown, nowMs: number): ParsedEvent {
  const eventId = raw !== null && typeof raw === 'object' && typeof (raw as { eventId?: unknown }).eventId === 'string' ? (raw as { eventId: string }).eventId : null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, eventId, reason: 'an event must be a JSON object' };
  }
  let event = conformingEvent(raw);
  if (event === null) {
    const parsed = dossierEventSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, eventId, reason: describeIssues(parsed.error.issues, raw) };
    event = parsed.data;
  }
  const occurredAtMs = Date.parse(event.occurredAt);
  const reason = instantProblem(occurredAtMs, nowMs, event.type === 'received' ? event.dueAt : null, 'the appointment');
  return reason === null ? { ok: true, event, occurredAtMs } : { ok: false, eventId, reason };
}

/**
 * What the schema cannot say about an event's instants: occurredAt neither in the
 * future (beyond the skew tolerated) nor before 2000; a due date (`dueAt`, named
 * `dueWhat` in the reason) not before occurredAt and at most 5 years after it.
 */
function instantProblem(occurredAtMs: number, nowMs: number, dueAt: string | null, dueWhat: string): string | null {
  if (occurredAtMs > nowMs + MAX_FUTURE_SKEW_MS) return 'occurredAt is in the future (more than 2 minutes ahead of the server clock)';
  if (!(occurredAtMs >= EARLIEST_INSTANT_MS)) return `occurredAt is before ${EARLIEST_INSTANT}, the earliest instant accepted`;
  if (dueAt === null) return null;
  const dueAtMs = Date.parse(dueAt);
  if (dueAtMs < occurredAtMs) return `dueAt (${dueWhat}) is before occurredAt (the receipt)`;
  if (dueAtMs > occurredAtMs + MAX_DUE_AFTER_MS) return `dueAt (${dueWhat}) is more than 5 years after occurredAt (the receipt)`;
  return null;
}

/** The unit an event is handled by: a commune code, or a province code for province-level dossiers (or feedback). */
export function eventUnitCode(e: { communeCode?: string; provinceCode?: string }): string {
  return (e.communeCode ?? e.provinceCode) as string;
}

/*
 * Ingest contract v1.1, feedback (phản ánh, kiến nghị: PAKN): events keyed by
 * `feedbackId` and the handling unit, folded into one feedback record each
 * (server/src/projection/feedback-store.ts). They share the envelope of dossier
 * events except that `feedbackId` takes the place of `dossierId`; on
 * `feedback_received`, `dossierId` optionally names the dossier the feedback is about.
 */
export const FEEDBACK_EVENT_TYPES = ['feedback_received', 'feedback_answered', 'feedback_rated'] as const;
export type FeedbackEventType = (typeof FEEDBACK_EVENT_TYPES)[number];
/** Every type the ingest endpoint takes. */
export const INGEST_EVENT_TYPES = [...EVENT_TYPES, ...FEEDBACK_EVENT_TYPES] as const;

const FEEDBACK_TYPE_SET: ReadonlySet<unknown> = new Set(FEEDBACK_EVENT_TYPES);
export function isFeedbackEventType(type: unknown): type is FeedbackEventType {
  return FEEDBACK_TYPE_SET.has(type);
}

const feedbackBase = {
  eventId: text('eventId', 128),
  occurredAt: instant('occurredAt'),
  feedbackId: text('feedbackId', 128),
  communeCode: base.communeCode,
  provinceCode: base.provinceCode,
};
const feedbackReceivedEvent = z.strictObject({
  ...feedbackBase,
  type: z.literal('feedback_received'),
  dueAt: instant('dueAt'),
  topic: z.enum(FEEDBACK_TOPICS, { error: `topic must be one of ${FEEDBACK_TOPICS.join(', ')}` }),
  dossierId: text('dossierId', 128).optional(),
  followUpOf: text('followUpOf', 128).optional(),
});
const feedbackAnsweredEvent = z.strictObject({ ...feedbackBase, type: z.literal('feedback_answered') });
const feedbackRatedEvent = z.strictObject({ ...feedbackBase, type: z.literal('feedback_rated'), satisfied: bool('satisfied') });

export const feedbackEventSchema = z
  .discriminatedUnion('type', [feedbackReceivedEvent, feedbackAnsweredEvent, feedbackRatedEvent], {
    error: `type must be one of ${INGEST_EVENT_TYPES.join(', ')}`,
  })
  .refine((e) => (e.communeCode === undefined) !== (e.provinceCode === undefined), {
    error: 'exactly one of communeCode (5 digits) or provinceCode (2 digits) is required',
  });
export type FeedbackEvent = z.infer<typeof feedbackEventSchema>;
export type FeedbackReceivedEvent = z.infer<typeof feedbackReceivedEvent>;

/** The whole ingest contract (OpenAPI): a dossier event or a feedback event. */
export const ingestEventSchema = z.union([dossierEventSchema, feedbackEventSchema]);
/** Any event the ingest endpoint takes. */
export type IngestEvent = DossierEvent | FeedbackEvent;

export function isFeedbackEvent(e: IngestEvent): e is FeedbackEvent {
  return FEEDBACK_TYPE_SET.has(e.type);
}

/** The record an event belongs to: its dossier, or its feedback item (feedback_received's optional dossierId is only a reference). */
export function eventSubjectId(e: IngestEvent): string {
  return isFeedbackEvent(e) ? e.feedbackId : e.dossierId;
}

export type ParsedIngestEvent = { ok: true; event: IngestEvent; occurredAtMs: number } | { ok: false; eventId: string | null; reason: string };

/** Validates one feedback event: the schema, then the instants (as parseEvent) and that a feedback does not follow itself up. */
export function parseFeedbackEvent(raw: unknown, nowMs: number): ParsedIngestEvent {
  const eventId = raw !== null && typeof raw === 'object' && typeof (raw as { eventId?: unknown }).eventId === 'string' ? (raw as { eventId: string }).eventId : null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, eventId, reason: 'an event must be a JSON object' };
  const parsed = feedbackEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, eventId, reason: describeIssues(parsed.error.issues, raw) };
  const event = parsed.data;
  const occurredAtMs = Date.parse(event.occurredAt);
  const reason = instantProblem(occurredAtMs, nowMs, event.type === 'feedback_received' ? event.dueAt : null, 'the answer deadline');
  if (reason !== null) return { ok: false, eventId, reason };
  if (event.type === 'feedback_received' && event.followUpOf === event.feedbackId) {
    return { ok: false, eventId, reason: 'followUpOf names the feedback itself; it must name an earlier feedbackId' };
  }
  return { ok: true, event, occurredAtMs };
}

/** Validates one event of an ingest batch: a feedback event (contract v1.1) or a dossier event (parseEvent). */
export function parseIngestEvent(raw: unknown, nowMs: number): ParsedIngestEvent {
  if (raw !== null && typeof raw === 'object' && isFeedbackEventType((raw as { type?: unknown }).type)) return parseFeedbackEvent(raw, nowMs);
  const p = parseEvent(raw, nowMs);
  if (!p.ok && raw !== null && typeof raw === 'object' && !EVENT_TYPES.includes((raw as { type?: unknown }).type as EventType)) {
    // The type is neither a dossier nor a feedback type: name every type the endpoint takes.
    return { ...p, reason: p.reason.replace(`type must be one of ${EVENT_TYPES.join(', ')}`, `type must be one of ${INGEST_EVENT_TYPES.join(', ')}`) };
  }
  return p;
}
