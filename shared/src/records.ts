import { z } from 'zod';
import {
  CHANNELS,
  COMMUNE_PATTERN,
  EARLIEST_INSTANT_MS,
  MAX_DUE_AFTER_MS,
  MAX_FUTURE_SKEW_MS,
  OUTCOMES,
  PROVINCE_PATTERN,
  type Channel,
  type DossierEvent,
  type Outcome,
  conformingInstant,
  conformingText,
  eventUnitCode,
  parseEvent,
} from './events.js';

/**
 * Dossier records: the bulk-import form of a dossier's history (issue 14). One
 * record = one dossier with its lifecycle instants and attributes, as a
 * province's one-stop system exports them when it adopts the product. A record
 * carries everything the fold (kpi/dossier.ts applyEvent) uses, and means
 * exactly the events `recordEvents` expands it to: it is validated by the same
 * rules as those events (parseEvent) and folds to the same facts.
 */

/** More supplement requests than this on one dossier is a broken export, not a history. */
export const MAX_SUPPLEMENT_COUNT = 99;
/** Largest import body (after gzip is undone): larger histories are sent as several files. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
/** Longest line (one record) of an import. */
export const MAX_RECORD_LINE_CHARS = 64 * 1024;
/** Errors listed in the answer of POST /api/v1/imports (all are counted). */
export const MAX_IMPORT_ERRORS_LISTED = 100;

export interface DossierRecord {
  dossierId: string;
  communeCode?: string;
  provinceCode?: string;
  procedureCode: string;
  sector: string;
  channel: Channel;
  fullOnlineEligible: boolean;
  resultRequired: boolean;
  feeRequired: boolean;
  receivedAt: string;
  dueAt: string;
  /** Contract v1.1 attributes of the receipt; absent = unknown. */
  reusedDigitizedData?: boolean;
  citizenDataUsed?: boolean;
  fromCitizenStore?: boolean;
  /** Number of supplement requests; defaults to the number of instants given. */
  supplementCount?: number;
  supplementRequestedAt1?: string;
  supplementRequestedAt2?: string;
  digitizedAt?: string;
  completedAt?: string;
  outcome?: Outcome;
  resultIssuedAt?: string;
  resultElectronic?: boolean;
  /** Contract v1.1: the electronic result was synced to the citizen's data store (with resultIssuedAt). */
  resultSyncedToCitizenStore?: boolean;
  /** Contract v1.1: the dossier reached the national portal. */
  syncedAt?: string;
  paidAt?: string;
  paidOnline?: boolean;
  ratedAt?: string;
  satisfied?: boolean;
  complaint?: boolean;
}

/** A record field: its kind, and what the README and OpenAPI say of it. */
interface FieldSpec {
  kind: 'text' | 'instant' | 'boolean' | 'count';
  required: boolean;
  doc: string;
}

/** The columns of a record, in the order of a CSV export; the single source of the format's documentation. */
export const RECORD_FIELDS: Record<keyof DossierRecord, FieldSpec> = {
  dossierId: { kind: 'text', required: true, doc: 'Dossier id in the one-stop system (at most 128 characters); one record per dossier' },
  communeCode: { kind: 'text', required: false, doc: '5-digit commune code (2025) of the handling commune; exactly one of communeCode or provinceCode' },
  provinceCode: { kind: 'text', required: false, doc: '2-digit province code, for dossiers handled at province level' },
  procedureCode: { kind: 'text', required: true, doc: 'Procedure code of the national catalogue, e.g. 1.001193' },
  sector: { kind: 'text', required: true, doc: 'Sector (lĩnh vực), e.g. Hộ tịch' },
  channel: { kind: 'text', required: true, doc: 'online, direct or postal' },
  fullOnlineEligible: { kind: 'boolean', required: true, doc: 'The procedure may be done fully online (true/false)' },
  resultRequired: { kind: 'boolean', required: true, doc: 'The procedure returns a result document (true/false)' },
  feeRequired: { kind: 'boolean', required: true, doc: 'The procedure charges a fee (true/false)' },
  receivedAt: { kind: 'instant', required: true, doc: 'Receipt, ISO-8601 with offset, e.g. 2024-01-05T08:30:00+07:00' },
  dueAt: { kind: 'instant', required: true, doc: 'Appointment (hẹn trả), at or after receivedAt, at most 5 years after' },
  reusedDigitizedData: { kind: 'boolean', required: false, doc: 'At least one component reused from digitised data (true/false; empty = unknown)' },
  citizenDataUsed: { kind: 'boolean', required: false, doc: 'Data from the national population database was used (true/false; empty = unknown)' },
  fromCitizenStore: { kind: 'boolean', required: false, doc: "A component came from the citizen's data store (true/false; empty = unknown)" },
  supplementCount: { kind: 'count', required: false, doc: `Number of supplement requests, 0 to ${MAX_SUPPLEMENT_COUNT}; defaults to the number of instants given` },
  supplementRequestedAt1: { kind: 'instant', required: false, doc: 'First supplement request (required when supplementCount ≥ 1)' },
  supplementRequestedAt2: { kind: 'instant', required: false, doc: 'Second supplement request (required when supplementCount ≥ 2); later ones are not needed by any KPI' },
  digitizedAt: { kind: 'instant', required: false, doc: 'Components digitised' },
  completedAt: { kind: 'instant', required: false, doc: 'Completed (giải quyết xong), with outcome' },
  outcome: { kind: 'text', required: false, doc: 'resolved, rejected or stopped (with completedAt)' },
  resultIssuedAt: { kind: 'instant', required: false, doc: 'Result issued, with resultElectronic' },
  resultElectronic: { kind: 'boolean', required: false, doc: 'The result was issued electronically (with resultIssuedAt)' },
  resultSyncedToCitizenStore: { kind: 'boolean', required: false, doc: "The electronic result was synced to the citizen's data store (needs resultIssuedAt; empty = unknown)" },
  syncedAt: { kind: 'instant', required: false, doc: 'Synced to the National Public Service Portal' },
  paidAt: { kind: 'instant', required: false, doc: 'Fee paid, with paidOnline' },
  paidOnline: { kind: 'boolean', required: false, doc: 'The fee was paid online (with paidAt)' },
  ratedAt: { kind: 'instant', required: false, doc: 'Rated by the citizen, with satisfied and complaint' },
  satisfied: { kind: 'boolean', required: false, doc: 'The rating is satisfied (with ratedAt)' },
  complaint: { kind: 'boolean', required: false, doc: 'The rating carries a complaint (with ratedAt)' },
};
export const RECORD_COLUMNS = Object.keys(RECORD_FIELDS) as (keyof DossierRecord)[];

/** The record's instant fields (those of kind 'instant' in RECORD_FIELDS). */
export const RECORD_INSTANT_FIELDS = [
  'receivedAt',
  'dueAt',
  'supplementRequestedAt1',
  'supplementRequestedAt2',
  'digitizedAt',
  'completedAt',
  'resultIssuedAt',
  'syncedAt',
  'paidAt',
  'ratedAt',
] as const satisfies readonly (keyof DossierRecord)[];
export type RecordInstantField = (typeof RECORD_INSTANT_FIELDS)[number];

/** A record with its instants as epoch milliseconds, as the raw log stores them: what the projector folds, without parsing each instant again. */
export type RecordAtMs = { [K in keyof DossierRecord]: K extends RecordInstantField ? number : DossierRecord[K] };

/** A valid record's instants as epoch milliseconds, as validation parsed them (an absent one undefined). */
export type RecordInstantsMs = { receivedAt: number; dueAt: number } & { [K in RecordInstantField]?: number };

const TRIMMED = new Set<keyof DossierRecord>(['dossierId', 'procedureCode', 'sector']);

/**
 * The record's shape only (types, pairs of fields that go together): what each
 * value means (instants, codes, text) is checked by the event rules after expansion.
 */
export const recordShapeSchema = z.strictObject(
  Object.fromEntries(
    RECORD_COLUMNS.map((k) => {
      const f = RECORD_FIELDS[k];
      const base =
        f.kind === 'boolean'
          ? z.boolean({ error: `${k} must be true or false` })
          : f.kind === 'count'
            ? z
                .int({ error: `${k} must be a whole number` })
                .min(0, { error: `${k} must not be negative` })
                .max(MAX_SUPPLEMENT_COUNT, { error: `${k} must be at most ${MAX_SUPPLEMENT_COUNT}` })
            : // Trimmed where the event contract trims (its text fields), so the event ids are built from the stored dossierId.
              TRIMMED.has(k)
              ? z.string({ error: `${k} must be a string` }).trim()
              : z.string({ error: `${k} must be a string` });
      return [k, (f.required ? base : base.optional()).describe(f.doc)];
    }),
  ),
);

/** JSON schema of one record (one NDJSON line), for the OpenAPI document. */
export const DOSSIER_RECORD_JSON_SCHEMA = z.toJSONSchema(recordShapeSchema, { io: 'input' }) as Record<string, unknown>;

const COLUMN_KIND_LIST: readonly FieldSpec['kind'][] = RECORD_COLUMNS.map((k) => RECORD_FIELDS[k].kind);
const REQUIRED_SET: ReadonlySet<string> = new Set(RECORD_COLUMNS.filter((k) => RECORD_FIELDS[k].required));

/**
 * The shape schema's output for a record that conforms to it, null otherwise (the
 * schema then judges it and words the reason): the same check written out by hand,
 * since it runs for every line of an import. Same fields in the schema's order,
 * the same text trimmed; records.spec.ts compares both on generated records.
 */
export function conformingShape(raw: object): DossierRecord | null {
  const proto = Object.getPrototypeOf(raw) as unknown;
  if (proto !== Object.prototype && proto !== null) return null;
  const r = raw as Record<string, unknown>;
  let keys = 0;
  for (const k in r) {
    if (r[k] === undefined) return null;
    keys++;
  }
  const out: Record<string, unknown> = {};
  let columns = 0;
  for (let i = 0; i < RECORD_COLUMNS.length; i++) {
    const k = RECORD_COLUMNS[i]!;
    const v = r[k];
    if (v === undefined) {
      if (REQUIRED_SET.has(k)) return null;
      continue;
    }
    columns++;
    switch (COLUMN_KIND_LIST[i]) {
      case 'boolean':
        if (typeof v !== 'boolean') return null;
        out[k] = v;
        break;
      case 'count':
        if (typeof v !== 'number' || !Number.isInteger(v) || !(v >= 0 && v <= MAX_SUPPLEMENT_COUNT)) return null;
        out[k] = v;
        break;
      default:
        if (typeof v !== 'string') return null;
        out[k] = TRIMMED.has(k) ? v.trim() : v;
    }
  }
  // Every key is a column: any other key is for the schema to name.
  if (columns !== keys) return null;
  return out as unknown as DossierRecord;
}

/** Fields that only mean something together. */
const PAIRS: [keyof DossierRecord, (keyof DossierRecord)[]][] = [
  ['completedAt', ['outcome']],
  ['resultIssuedAt', ['resultElectronic']],
  ['paidAt', ['paidOnline']],
  ['ratedAt', ['satisfied', 'complaint']],
];

function pairProblem(r: DossierRecord): string | null {
  for (const [at, with_] of PAIRS) {
    for (const w of with_) {
      if ((r[at] === undefined) !== (r[w] === undefined)) return `${at} and ${w} go together: give both or neither`;
    }
  }
  if (r.resultSyncedToCitizenStore !== undefined && r.resultIssuedAt === undefined) return 'resultSyncedToCitizenStore is given without resultIssuedAt';
  const given = (r.supplementRequestedAt1 !== undefined ? 1 : 0) + (r.supplementRequestedAt2 !== undefined ? 1 : 0);
  if (r.supplementRequestedAt2 !== undefined && r.supplementRequestedAt1 === undefined) return 'supplementRequestedAt2 is given without supplementRequestedAt1';
  const count = r.supplementCount ?? given;
  if (count < given) return `supplementCount is ${count} but ${given} supplement request instant(s) are given`;
  if (count > given && given < 2)
    return `supplementCount is ${count}: give the instant of each of the first ${Math.min(count, 2)} supplement request(s) (supplementRequestedAt1, supplementRequestedAt2)`;
  return null;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: object): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field(s): ${i.keys.join(', ')}`;
      const path = i.path.join('.');
      if (i.code === 'invalid_type' && path && (raw as Record<string, unknown>)[path] === undefined) return `${path} is required`;
      return i.message;
    })
    .join('; ');
}

/** The log id of a dossier's record, and the prefix of the ids of the events it expands to. */
export function recordEventId(dossierId: string): string {
  return `record:${dossierId}`;
}

/** An event of a record, and the record field holding its instant (for messages). */
interface Expanded {
  event: DossierEvent;
  field: keyof DossierRecord;
}

function expand(r: DossierRecord): Expanded[] {
  const id = recordEventId(r.dossierId);
  // Plain objects of one shape, built field by field: this runs for every line of an import.
  const event = (type: DossierEvent['type'], suffix: string, occurredAt: string, own?: Record<string, unknown>): DossierEvent => {
    // The fields in the contract's order, as parseEvent returns an event.
    const e: Record<string, unknown> = { eventId: `${id}/${suffix}`, occurredAt, dossierId: r.dossierId };
    if (r.communeCode !== undefined) e.communeCode = r.communeCode;
    if (r.provinceCode !== undefined) e.provinceCode = r.provinceCode;
    e.type = type;
    if (own) for (const k in own) e[k] = own[k];
    return e as DossierEvent;
  };
  const out: Expanded[] = [
    {
      field: 'receivedAt',
      event: event('received', 'received', r.receivedAt, {
        procedureCode: r.procedureCode,
        sector: r.sector,
        channel: r.channel,
        fullOnlineEligible: r.fullOnlineEligible,
        resultRequired: r.resultRequired,
        feeRequired: r.feeRequired,
        dueAt: r.dueAt,
        ...(r.reusedDigitizedData !== undefined ? { reusedDigitizedData: r.reusedDigitizedData } : {}),
        ...(r.citizenDataUsed !== undefined ? { citizenDataUsed: r.citizenDataUsed } : {}),
        ...(r.fromCitizenStore !== undefined ? { fromCitizenStore: r.fromCitizenStore } : {}),
      }),
    },
  ];
  const count = r.supplementCount ?? (r.supplementRequestedAt1 !== undefined ? 1 : 0) + (r.supplementRequestedAt2 !== undefined ? 1 : 0);
  if (count > 0) {
    const s1 = r.supplementRequestedAt1!;
    const s2 = r.supplementRequestedAt2;
    // Requests beyond the second only count (the fold keeps the two earliest): they take the
    // later of the two instants and ids that sort after, so they never displace one.
    const latest = s2 !== undefined && Date.parse(s1) <= Date.parse(s2) ? s2 : s1;
    for (let n = 1; n <= count; n++) {
      const occurredAt = n === 1 ? s1 : n === 2 ? s2! : latest;
      out.push({ field: n === 1 ? 'supplementRequestedAt1' : 'supplementRequestedAt2', event: event('supplement_requested', `supplement_requested/${String(n).padStart(2, '0')}`, occurredAt) });
    }
  }
  if (r.digitizedAt !== undefined) out.push({ field: 'digitizedAt', event: event('digitized', 'digitized', r.digitizedAt) });
  if (r.completedAt !== undefined) out.push({ field: 'completedAt', event: event('completed', 'completed', r.completedAt, { outcome: r.outcome }) });
  if (r.resultIssuedAt !== undefined) {
    const own: Record<string, unknown> = { electronic: r.resultElectronic };
    if (r.resultSyncedToCitizenStore !== undefined) own.syncedToCitizenStore = r.resultSyncedToCitizenStore;
    out.push({ field: 'resultIssuedAt', event: event('result_issued', 'result_issued', r.resultIssuedAt, own) });
  }
  if (r.paidAt !== undefined) out.push({ field: 'paidAt', event: event('paid', 'paid', r.paidAt, { online: r.paidOnline }) });
  if (r.ratedAt !== undefined) out.push({ field: 'ratedAt', event: event('rated', 'rated', r.ratedAt, { satisfied: r.satisfied, complaint: r.complaint }) });
  if (r.syncedAt !== undefined) out.push({ field: 'syncedAt', event: event('synced', 'synced', r.syncedAt) });
  return out;
}

/**
 * The events a record stands for, with deterministic ids (`record:<dossierId>/<type>`):
 * folding them gives the record's facts, and the same record always gives the same events.
 */
export function recordEvents(r: DossierRecord): DossierEvent[] {
  return expand(r).map((x) => x.event);
}

export type ParsedRecord =
  | {
      ok: true;
      record: DossierRecord;
      events: DossierEvent[];
      unit: string;
      receivedAtMs: number;
      /** The instants as validation parsed them, when it did (the record-level path): what the log row needs, without parsing them again. */
      instantsMs?: RecordInstantsMs;
    }
  | { ok: false; dossierId: string | null; reason: string };

/** Stands in for the record's event ids while the event rules run: a 128-character dossierId makes longer ids, which are not the sender's to choose. */
const PROBE_ID = 'record';

/**
 * Validates one record: its shape, then each event it expands to by the ingest
 * contract's own rules (parseEvent: codes, text, instant formats and bounds,
 * the appointment after the receipt), the reason naming the record's field.
 */
export function parseRecord(raw: unknown, nowMs: number): ParsedRecord {
  return judgeRecord(raw, nowMs, true);
}

/**
 * parseRecord without its record-level shortcuts (the shape schema, then each event
 * through parseEvent, itself tested against the event schema): the reference the
 * shortcuts are tested against.
 */
export function parseRecordBySchema(raw: unknown, nowMs: number): ParsedRecord {
  return judgeRecord(raw, nowMs, false);
}

function judgeRecord(raw: unknown, nowMs: number, shortcuts: boolean): ParsedRecord {
  const dossierId = raw !== null && typeof raw === 'object' && typeof (raw as { dossierId?: unknown }).dossierId === 'string' ? (raw as { dossierId: string }).dossierId : null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, dossierId, reason: 'a record must be a JSON object' };
  let record = shortcuts ? conformingShape(raw) : null;
  if (record === null) {
    const parsed = recordShapeSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, dossierId, reason: describeIssues(parsed.error.issues, raw) };
    record = parsed.data as unknown as DossierRecord;
  }
  const pair = pairProblem(record);
  if (pair) return { ok: false, dossierId, reason: pair };
  const instants = shortcuts ? conformingRecordInstants(record, nowMs) : null;
  if (instants !== null) return withEventsOnDemand(record, eventUnitCode(record), instants);
  return recordEventsBySchema(record, dossierId, nowMs);
}

/**
 * A valid record whose events are built when first read. An import reads them only
 * for a record that is already stored or appears twice: building them for every
 * line (a dozen objects each) made a quarter of its time go to garbage collection.
 */
function withEventsOnDemand(record: DossierRecord, unit: string, instantsMs: RecordInstantsMs): ParsedRecord {
  let events: DossierEvent[] | undefined;
  return {
    ok: true,
    record,
    get events() {
      return (events ??= recordEvents(record));
    },
    unit,
    receivedAtMs: instantsMs.receivedAt,
    instantsMs,
  };
}

/**
 * The instants (epoch ms) of a record of the right shape whose events each pass
 * parseEvent (null otherwise): the same rules, checked once per record field
 * instead of once per event; its events (recordEvents) are then those parseEvent
 * would return. A record that fails any of them is judged event by event
 * (recordEventsBySchema), which words the reason.
 */
function conformingRecordInstants(r: DossierRecord, nowMs: number): RecordInstantsMs | null {
  if (conformingText(r.dossierId, 128) !== r.dossierId) return null;
  if (r.communeCode !== undefined) {
    if (r.provinceCode !== undefined || !COMMUNE_PATTERN.test(r.communeCode)) return null;
  } else if (r.provinceCode === undefined || !PROVINCE_PATTERN.test(r.provinceCode)) return null;
  if (conformingText(r.procedureCode, 64) !== r.procedureCode || conformingText(r.sector, 200) !== r.sector) return null;
  if (!(CHANNELS as readonly unknown[]).includes(r.channel)) return null;
  if (typeof r.fullOnlineEligible !== 'boolean' || typeof r.resultRequired !== 'boolean' || typeof r.feeRequired !== 'boolean') return null;
  const received = instantMs(r.receivedAt, nowMs);
  const due = conformingInstant(r.dueAt) ? Date.parse(r.dueAt) : NaN;
  if (received === null || !(due >= received && due <= received + MAX_DUE_AFTER_MS)) return null;
  const s1 = laterInstantMs(r.supplementRequestedAt1, nowMs);
  const s2 = laterInstantMs(r.supplementRequestedAt2, nowMs);
  const digitized = laterInstantMs(r.digitizedAt, nowMs);
  const completed = laterInstantMs(r.completedAt, nowMs);
  const issued = laterInstantMs(r.resultIssuedAt, nowMs);
  const synced = laterInstantMs(r.syncedAt, nowMs);
  const paid = laterInstantMs(r.paidAt, nowMs);
  const rated = laterInstantMs(r.ratedAt, nowMs);
  if (s1 === null || s2 === null || digitized === null || completed === null || issued === null || synced === null || paid === null || rated === null) return null;
  if (r.completedAt !== undefined && !(OUTCOMES as readonly unknown[]).includes(r.outcome)) return null;
  if (r.resultIssuedAt !== undefined && typeof r.resultElectronic !== 'boolean') return null;
  if (r.paidAt !== undefined && typeof r.paidOnline !== 'boolean') return null;
  if (r.ratedAt !== undefined && (typeof r.satisfied !== 'boolean' || typeof r.complaint !== 'boolean')) return null;
  // One shape for every record (absent instants undefined).
  return {
    receivedAt: received,
    dueAt: due,
    supplementRequestedAt1: s1,
    supplementRequestedAt2: s2,
    digitizedAt: digitized,
    completedAt: completed,
    resultIssuedAt: issued,
    syncedAt: synced,
    paidAt: paid,
    ratedAt: rated,
  };
}

/** An optional instant of a record: undefined when absent, else as instantMs (null when parseEvent would refuse it). */
function laterInstantMs(v: string | undefined, nowMs: number): number | null | undefined {
  return v === undefined ? undefined : instantMs(v, nowMs);
}

/** An event's occurredAt in ms when parseEvent accepts it as one (pattern, offset, not before 2000, not in the future), else null. */
function instantMs(v: string, nowMs: number): number | null {
  if (!conformingInstant(v)) return null;
  const ms = Date.parse(v);
  return ms <= nowMs + MAX_FUTURE_SKEW_MS && ms >= EARLIEST_INSTANT_MS ? ms : null;
}

/** The events of a record of the right shape, each validated by parseEvent, the reason naming the record's field. */
function recordEventsBySchema(record: DossierRecord, dossierId: string | null, nowMs: number): ParsedRecord {
  const events: DossierEvent[] = [];
  let checked: DossierEvent | null = null;
  for (const x of expand(record)) {
    const eventId = x.event.eventId;
    // Requests beyond the second repeat an instant already checked.
    if (x.event.type === 'supplement_requested' && events.length > 2 && checked?.type === 'supplement_requested' && checked.occurredAt === x.event.occurredAt) {
      events.push({ ...checked, eventId });
      continue;
    }
    x.event.eventId = PROBE_ID;
    const p = parseEvent(x.event, nowMs);
    if (!p.ok) return { ok: false, dossierId, reason: p.reason.replace(/\boccurredAt\b/g, x.field).replace(/\beventId\b/g, 'dossierId') };
    // The parsed event is a copy of its own: it takes the record's event id.
    p.event.eventId = eventId;
    checked = p.event;
    events.push(p.event);
  }
  const received = events[0]!;
  return { ok: true, record, events, unit: eventUnitCode(received), receivedAtMs: Date.parse(received.occurredAt) };
}

/** What an import answers (POST /api/v1/imports) and the CLI prints. */
export interface ImportLineError {
  /** 1-based line of the file (the CSV header is line 1). */
  line: number;
  dossierId: string | null;
  status: 'rejected' | 'conflict';
  reason: string;
}
export interface ImportResponse {
  /** Lines read (blank lines and the CSV header excluded). */
  records: number;
  imported: number;
  /** The same record from the same source was already stored: nothing changed. */
  duplicates: number;
  /** Another record (or another source's) is stored for the dossier: nothing stored, listed in errors. */
  conflicts: number;
  rejected: number;
  seconds: number;
  /** The first errors, in line order (all are counted above). */
  errors: ImportLineError[];
  errorsTruncated: boolean;
}
