/**
 * REST contract of a commune's readiness profile: what it has to run its
 * one-stop services digitally (staff, signatures, equipment, residents' VNeID
 * accounts, security cover). Every value is kept with the date it holds for
 * and its source, and every change is a new version (the history is kept):
 * - `GET /api/v1/readiness?scope=province:NN`: each commune's current profile, with its link over 30 days;
 * - `GET /api/v1/readiness/{communeCode}`: one commune's profile and the history of every field;
 * - `PUT /api/v1/readiness/{communeCode}`: an administrator records values (signed in);
 * - `POST /api/v1/readiness`: a province's system pushes values for its communes (a province ingest key).
 *
 * What the profile shows beside a commune's KPIs is association, not proof:
 * a commune can lag with a full profile, or do well with a thin one.
 */

export const READINESS_FIELDS = ['itStaff', 'trainedStaff', 'digitalSignatures', 'scanners', 'kiosks', 'vneidLevel2Share', 'socCovered'] as const;
export type ReadinessField = (typeof READINESS_FIELDS)[number];

/**
 * How each field is measured: a count of people or devices, a percentage of
 * residents, or yes/no (1 or 0). `higherIsReady` is true for every field today.
 */
export const READINESS_FIELD_INFO: Record<ReadinessField, { kind: 'count' | 'percent' | 'yesNo'; max: number; vi: string; en: string }> = {
  itStaff: { kind: 'count', max: 1000, vi: 'Cán bộ công nghệ thông tin', en: 'IT staff' },
  trainedStaff: { kind: 'count', max: 10_000, vi: 'Cán bộ được đào tạo kỹ năng số', en: 'Staff trained in digital skills' },
  digitalSignatures: { kind: 'count', max: 10_000, vi: 'Chữ ký số cấp cho cán bộ', en: 'Digital signatures issued to officials' },
  scanners: { kind: 'count', max: 1000, vi: 'Máy quét tài liệu', en: 'Scanners' },
  kiosks: { kind: 'count', max: 1000, vi: 'Ki-ốt tự phục vụ', en: 'Self-service kiosks' },
  vneidLevel2Share: { kind: 'percent', max: 100, vi: 'Tỷ lệ người dân có tài khoản VNeID mức 2', en: 'Residents with a level-2 VNeID account' },
  socCovered: { kind: 'yesNo', max: 1, vi: 'Được trung tâm giám sát an toàn thông tin (SOC) của tỉnh bảo vệ', en: "Covered by the province's security operations centre (SOC)" },
};

/** Who recorded a version: an administrator signed in, or a province's system with its ingest key. */
export type ReadinessVia = 'admin' | 'api-key';

/** One version of one field's value. */
export interface ReadinessValue {
  value: number;
  /** The local date the value holds for (YYYY-MM-DD), e.g. the date of the inventory. */
  asOf: string;
  /** Where the value comes from, e.g. "Sở Nội vụ, báo cáo quý III/2026". */
  source: string;
  recordedAt: string;
  recordedBy: string;
  via: ReadinessVia;
}

/** One field's value as sent: the value, its date and source. */
export interface ReadinessInput {
  value: number;
  asOf: string;
  source: string;
}

/** Body of `PUT /api/v1/readiness/{communeCode}`: any of the fields; each becomes a new version. */
export interface ReadinessUpdate {
  values: Partial<Record<ReadinessField, ReadinessInput>>;
}

/** Body of `POST /api/v1/readiness` (a province key): up to 5,000 communes at once. */
export interface ReadinessPush {
  communes: ({ communeCode: string } & ReadinessUpdate)[];
}

export interface ReadinessWriteResponse {
  /** Versions recorded. */
  recorded: number;
  /** Values sent that were the same as the current version (same value, date and source): not recorded again. */
  unchanged: number;
}

/** A commune's link over the last 30 closed local days, from the heartbeats' daily summaries. */
export interface LinkSummary {
  /** Days with a heartbeat source. */
  days: number;
  /** Share of those days' minutes the link was up, in percent; null with no day. */
  upShare: number | null;
  /** Outage minutes within working hours, over those days. */
  outageWorkingMinutes: number;
}

export interface CommuneReadiness {
  communeCode: string;
  communeName: string;
  provinceCode: string;
  /** The current version of each field; a field never recorded is absent. */
  current: Partial<Record<ReadinessField, ReadinessValue>>;
  /** Share of the fields recorded that are at their "ready" level (README "Readiness"), in percent; null with none recorded. */
  score: number | null;
  link: LinkSummary | null;
}

/** `GET /api/v1/readiness?scope=…`: the communes of a province (or one commune). */
export interface ReadinessListResponse {
  scope: string;
  asOf: string;
  communes: CommuneReadiness[];
}

/** `GET /api/v1/readiness/{communeCode}`: the profile and every version of every field, newest first. */
export interface ReadinessDetail extends CommuneReadiness {
  history: Partial<Record<ReadinessField, ReadinessValue[]>>;
}

/**
 * The "ready" level of each field, for the readiness score: at least two IT staff, five trained
 * staff, five digital signatures, two scanners, one kiosk, 60% of residents with VNeID level 2, SOC cover.
 */
export const READINESS_TARGETS: Record<ReadinessField, number> = {
  itStaff: 2,
  trainedStaff: 5,
  digitalSignatures: 5,
  scanners: 2,
  kiosks: 1,
  vneidLevel2Share: 60,
  socCovered: 1,
};

/** The readiness score of a profile: the mean over recorded fields of min(value / target, 1), in percent, one decimal. */
export function readinessScore(current: Partial<Record<ReadinessField, { value: number }>>): number | null {
  const parts = READINESS_FIELDS.filter((f) => current[f] !== undefined).map((f) => Math.min(current[f]!.value / READINESS_TARGETS[f], 1));
  if (parts.length === 0) return null;
  return Math.round((parts.reduce((a, b) => a + b, 0) / parts.length) * 1000) / 10;
}
