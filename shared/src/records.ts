import { z } from 'zod';
import { type DossierEvent, type Outcome, type Channel, eventUnitCode, parseEvent } from './events.js';

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
  /** Number of supplement requests; defaults to the number of instants given. */
  supplementCount?: number;
  supplementRequestedAt1?: string;
  supplementRequestedAt2?: string;
  digitizedAt?: string;
  completedAt?: string;
  outcome?: Outcome;
  resultIssuedAt?: string;
  resultElectronic?: boolean;
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
  supplementCount: { kind: 'count', required: false, doc: `Number of supplement requests, 0 to ${MAX_SUPPLEMENT_COUNT}; defaults to the number of instants given` },
  supplementRequestedAt1: { kind: 'instant', required: false, doc: 'First supplement request (required when supplementCount ≥ 1)' },
  supplementRequestedAt2: { kind: 'instant', required: false, doc: 'Second supplement request (required when supplementCount ≥ 2); later ones are not needed by any KPI' },
  digitizedAt: { kind: 'instant', required: false, doc: 'Components digitised' },
  completedAt: { kind: 'instant', required: false, doc: 'Completed (giải quyết xong), with outcome' },
  outcome: { kind: 'text', required: false, doc: 'resolved, rejected or stopped (with completedAt)' },
  resultIssuedAt: { kind: 'instant', required: false, doc: 'Result issued, with resultElectronic' },
  resultElectronic: { kind: 'boolean', required: false, doc: 'The result was issued electronically (with resultIssuedAt)' },
  paidAt: { kind: 'instant', required: false, doc: 'Fee paid, with paidOnline' },
  paidOnline: { kind: 'boolean', required: false, doc: 'The fee was paid online (with paidAt)' },
  ratedAt: { kind: 'instant', required: false, doc: 'Rated by the citizen, with satisfied and complaint' },
  satisfied: { kind: 'boolean', required: false, doc: 'The rating is satisfied (with ratedAt)' },
  complaint: { kind: 'boolean', required: false, doc: 'The rating carries a complaint (with ratedAt)' },
};
export const RECORD_COLUMNS = Object.keys(RECORD_FIELDS) as (keyof DossierRecord)[];

const TRIMMED = new Set<keyof DossierRecord>(['dossierId', 'procedureCode', 'sector']);

/**
 * The record's shape only (types, pairs of fields that go together): what each
 * value means (instants, codes, text) is checked by the event rules after expansion.
 */
const shape = z.strictObject(
  Object.fromEntries(
    RECORD_COLUMNS.map((k) => {
      const f = RECORD_FIELDS[k];
      const base =
        f.kind === 'boolean'
          ? z.boolean({ error: `${k} must be true or false` })
          : f.kind === 'count'
            ? z.int({ error: `${k} must be a whole number` }).min(0, { error: `${k} must not be negative` }).max(MAX_SUPPLEMENT_COUNT, { error: `${k} must be at most ${MAX_SUPPLEMENT_COUNT}` })
            : // Trimmed where the event contract trims (its text fields), so the event ids are built from the stored dossierId.
              TRIMMED.has(k)
              ? z.string({ error: `${k} must be a string` }).trim()
              : z.string({ error: `${k} must be a string` });
      return [k, (f.required ? base : base.optional()).describe(f.doc)];
    }),
  ),
);

/** JSON schema of one record (one NDJSON line), for the OpenAPI document. */
export const DOSSIER_RECORD_JSON_SCHEMA = z.toJSONSchema(shape, { io: 'input' }) as Record<string, unknown>;

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
  const given = (r.supplementRequestedAt1 !== undefined ? 1 : 0) + (r.supplementRequestedAt2 !== undefined ? 1 : 0);
  if (r.supplementRequestedAt2 !== undefined && r.supplementRequestedAt1 === undefined) return 'supplementRequestedAt2 is given without supplementRequestedAt1';
  const count = r.supplementCount ?? given;
  if (count < given) return `supplementCount is ${count} but ${given} supplement request instant(s) are given`;
  if (count > given && given < 2) return `supplementCount is ${count}: give the instant of each of the first ${Math.min(count, 2)} supplement request(s) (supplementRequestedAt1, supplementRequestedAt2)`;
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
    const e: Record<string, unknown> = { eventId: `${id}/${suffix}`, type, occurredAt, dossierId: r.dossierId };
    if (r.communeCode !== undefined) e.communeCode = r.communeCode;
    if (r.provinceCode !== undefined) e.provinceCode = r.provinceCode;
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
  if (r.resultIssuedAt !== undefined) out.push({ field: 'resultIssuedAt', event: event('result_issued', 'result_issued', r.resultIssuedAt, { electronic: r.resultElectronic }) });
  if (r.paidAt !== undefined) out.push({ field: 'paidAt', event: event('paid', 'paid', r.paidAt, { online: r.paidOnline }) });
  if (r.ratedAt !== undefined) out.push({ field: 'ratedAt', event: event('rated', 'rated', r.ratedAt, { satisfied: r.satisfied, complaint: r.complaint }) });
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
  | { ok: true; record: DossierRecord; events: DossierEvent[]; unit: string; receivedAtMs: number }
  | { ok: false; dossierId: string | null; reason: string };

/** Stands in for the record's event ids while the event rules run: a 128-character dossierId makes longer ids, which are not the sender's to choose. */
const PROBE_ID = 'record';

/**
 * Validates one record: its shape, then each event it expands to by the ingest
 * contract's own rules (parseEvent: codes, text, instant formats and bounds,
 * the appointment after the receipt), the reason naming the record's field.
 */
export function parseRecord(raw: unknown, nowMs: number): ParsedRecord {
  const dossierId = raw !== null && typeof raw === 'object' && typeof (raw as { dossierId?: unknown }).dossierId === 'string' ? (raw as { dossierId: string }).dossierId : null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, dossierId, reason: 'a record must be a JSON object' };
  const parsed = shape.safeParse(raw);
  if (!parsed.success) return { ok: false, dossierId, reason: describeIssues(parsed.error.issues, raw) };
  const record = parsed.data as unknown as DossierRecord;
  const pair = pairProblem(record);
  if (pair) return { ok: false, dossierId, reason: pair };
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
