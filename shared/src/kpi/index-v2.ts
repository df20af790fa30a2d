import type { KpiId } from './catalogue.js';

/**
 * The national index as the National Public Service Portal scores it, versioned
 * as `kpi-v2`: 100 points in 6 groups, each sub-indicator scored on its own from
 * its own counts. Maximum points follow the portal's published metrics; formula
 * notes follow a public transcription of its formula description. Like `kpi-v1`,
 * this is the project's versioned definition, not legal text.
 *
 * Everything here is data: a sub-indicator names the counts its numerator and
 * denominator sum, so a rate for any scope and period is a ratio of summed
 * counts. The scoring is in `index-v2-score.ts`.
 */
export const INDEX_V2_VERSION = 'kpi-v2';
/** What the index totals when every sub-indicator has data. */
export const INDEX_V2_MAX_POINTS = 100;

export const INDEX_V2_GROUPS = [
  { id: 'transparency', nameVi: 'Công khai, minh bạch', nameEn: 'Transparency', pmax: 18 },
  { id: 'progress', nameVi: 'Tiến độ giải quyết', nameEn: 'Processing progress', pmax: 20 },
  { id: 'online', nameVi: 'Dịch vụ công trực tuyến', nameEn: 'Online public services', pmax: 12 },
  { id: 'payment', nameVi: 'Thanh toán trực tuyến', nameEn: 'Online payment', pmax: 10 },
  // Spelled as the kpi-v1 component ids, so screens keyed on them carry over.
  { id: 'digitization', nameVi: 'Số hóa hồ sơ', nameEn: 'Digitisation', pmax: 22 },
  { id: 'satisfaction', nameVi: 'Mức độ hài lòng', nameEn: 'Satisfaction', pmax: 18 },
] as const;
export type IndexV2GroupId = (typeof INDEX_V2_GROUPS)[number]['id'];

/**
 * The additive counts the sub-indicators are taken from, for one scope and
 * period. Each is a count (or, for `processingDays`, a sum of days) that adds
 * across units, so a province's figures are the sums of its units'. Names shared
 * with `PeriodCounters` (kpi-v1) mean exactly the same there.
 *
 * Attributes of ingest contract v1.1 may be unknown (absent from the event); a
 * `…Known` count holds the dossiers that carry the attribute, and the matching
 * numerator counts only among those.
 */
export const INDEX_V2_COUNT_FIELDS = [
  // Dossiers, from events (kpi-v1 meanings).
  /** Received in the period. */
  'received',
  /** Received online in the period. */
  'receivedOnline',
  /** Received in the period for procedures eligible for full-process online. */
  'fullEligible',
  /** Of `fullEligible`, received online. */
  'fullEligibleOnline',
  /** Fee-bearing dossiers received in the period. */
  'feeRequired',
  /** Of `feeRequired`, paid online by the period end. */
  'paidOnline',
  /** Received in the period and digitised by the reading of 4.2 in force at the period end. */
  'digitized',
  /** Completed in the period, whatever the outcome. */
  'resolved',
  /** Of `resolved`, early or on time. */
  'resolvedOnTime',
  /** In progress at the period end. */
  'inProgress',
  /** Of `inProgress`, past due at the period end. */
  'inProgressOverdue',
  /** Completed in the period with outcome `resolved` whose procedure returns a result. */
  'resultResolved',
  /** Of `resultResolved`, result issued electronically by the period end. */
  'eResult',

  // Dossiers, from events (new in kpi-v2).
  /** Sum over dossiers completed in the period of the days from receipt to completion (fractional). */
  'processingDays',
  /** Received in the period by a unit whose sources had sent a `synced` event by the period end. */
  'syncTracked',
  /** Of `syncTracked`, synced to the national portal by the period end. */
  'synced',
  /**
   * Procedures with fee-bearing dossiers received in the period, each counted once per
   * handling unit over the whole period (a distinct count: not a sum of daily rows).
   */
  'feeProceduresReceived',
  /** Of `feeProceduresReceived`, those with at least one of those dossiers paid online by the period end. */
  'feeProceduresPaidOnline',
  /** Received in the period whose `received` event carried `reusedDigitizedData`. */
  'reuseKnown',
  /** Of `reuseKnown`, with `reusedDigitizedData: true`. */
  'reusedDigitizedData',
  /**
   * Received in the period that are known to be linked to the citizen's data store or not: either
   * `fromCitizenStore` was sent, or the electronic result was synced to the store by the period end
   * (three-valued "or": `triOr`).
   */
  'citizenStoreKnown',
  /** Of `citizenStoreKnown`, with a component from the store or an electronic result synced to it by the period end. */
  'citizenStoreLinked',
  /** Received in the period whose `received` event carried `citizenDataUsed`. */
  'citizenDataKnown',
  /** Of `citizenDataKnown`, with `citizenDataUsed: true`. */
  'citizenDataUsed',
  /** Of `resolved`, with a complaint, or whose latest rating by the period end is unsatisfied. */
  'resolvedDissatisfied',

  // Feedback (PAKN), from events.
  /** Answered in the period. */
  'feedbackAnswered',
  /** Of `feedbackAnswered`, answered by its due date. */
  'feedbackAnsweredOnTime',
  /** Open (not answered) at the period end. */
  'feedbackOpen',
  /** Of `feedbackOpen`, past due at the period end. */
  'feedbackOpenOverdue',
  /** First-time feedback (not a follow-up of an earlier one) received in the period. */
  'feedbackFirstTime',
  /**
   * Of `feedbackFirstTime`, those that by the period end were rated unsatisfied, followed up, or
   * overdue (answered after the due date or still open past it), each counted once.
   */
  'feedbackFirstTimeLost',

  // Reported by an authorised source per unit and month (one pair per reported sub-indicator).
  'proceduresAnnouncedOnTime',
  'proceduresAnnounced',
  'proceduresPublishedOnTime',
  'proceduresDueToPublish',
  'proceduresFullyPublished',
  'proceduresPublished',
  'feeProceduresOnPortal',
  'feeProceduresCatalogued',
  /** 1 when the unit provides electronic certified copies, 0 when not. */
  'certificationProvided',
  /** 1 per reporting unit, so a province's 4.c is the share of its units that provide the service. */
  'certificationUnits',
  'citizenProceduresConnected',
  'citizenProcedures',
] as const;
export type IndexV2CountField = (typeof INDEX_V2_COUNT_FIELDS)[number];
export type IndexV2Counts = Record<IndexV2CountField, number>;

/** A sum of counts: Σ plus − Σ minus. */
export interface CountSum {
  plus: readonly IndexV2CountField[];
  minus: readonly IndexV2CountField[];
}
export interface CountRatioDefinition {
  numerator: CountSum;
  denominator: CountSum;
}

/**
 * How a sub-indicator's value is taken from counts.
 * - `percent`: numerator ÷ denominator in percent.
 * - `meanDays`: numerator ÷ denominator in days (2.2).
 * - `percentDifference`: minuend % − subtrahend %, no data when either has none (5.4:
 *   100% − (overdue % + complaint %) = on-time % − complaint %). It may fall below 0.
 */
export type IndexMeasure =
  { kind: 'percent'; ratio: CountRatioDefinition } | { kind: 'meanDays'; ratio: CountRatioDefinition } | { kind: 'percentDifference'; minuend: CountRatioDefinition; subtrahend: CountRatioDefinition };

/**
 * Points from a rate R in percent:
 * - `linear`: Pmax × R / 100;
 * - `fullAt`: Pmax × min(1, R / threshold), full points at R ≥ threshold;
 * - `none`: shown, not scored.
 * A rate below 0 (possible only for a difference) scores 0.
 */
export type ScoringRule = { kind: 'linear' } | { kind: 'fullAt'; threshold: number } | { kind: 'none' };

/** Attributes a source may leave out: the rate is taken over the dossiers that carry them, and their share is shown. */
export interface CoverageDefinition {
  /** The contract's names for what may be unknown (event attributes or event types). */
  attributes: readonly string[];
  /** Dossiers over which the rate is taken. */
  known: IndexV2CountField;
  /** All dossiers the rate would be taken over if every source sent the attributes. */
  total: IndexV2CountField;
}

export type IndexV2Source = 'events' | 'reported';

export interface SubIndicatorDefinition {
  /** As the portal numbers it ('3.x' and '4.c' included). */
  id: string;
  group: IndexV2GroupId;
  nameVi: string;
  nameEn: string;
  /** Maximum points; 0 for a sub-indicator that is shown, not scored. */
  pmax: number;
  scored: boolean;
  measure: IndexMeasure;
  numeratorVi: string;
  numeratorEn: string;
  denominatorVi: string;
  denominatorEn: string;
  scoring: ScoringRule;
  /** `events`: computed from the ingest contract; `reported`: numerator and denominator reported per unit and month. */
  source: IndexV2Source;
  coverage: CoverageDefinition | null;
  /** The kpi-v1 KPI with the very same rate, if any. */
  kpiV1: KpiId | null;
}

const sum = (...plus: IndexV2CountField[]): CountSum => ({ plus, minus: [] });
const ratio = (numerator: CountSum, denominator: CountSum): CountRatioDefinition => ({ numerator, denominator });
const percent = (numerator: IndexV2CountField, denominator: IndexV2CountField): IndexMeasure => ({
  kind: 'percent',
  ratio: ratio(sum(numerator), sum(denominator)),
});

/** 2.1, and the minuend of 5.4. */
const ON_TIME = ratio({ plus: ['resolvedOnTime', 'inProgress'], minus: ['inProgressOverdue'] }, sum('resolved', 'inProgress'));

const LINEAR = { kind: 'linear' } as const;
const NOT_SCORED = { kind: 'none' } as const;
const fullAt = (threshold: number) => ({ kind: 'fullAt', threshold }) as const;

/** The sub-indicators in the portal's order. */
export const INDEX_V2_SUB_INDICATORS = [
  {
    id: '1.1',
    group: 'transparency',
    nameVi: 'TTHC công bố đúng hạn',
    nameEn: 'Procedures announced on time',
    pmax: 6,
    scored: true,
    measure: percent('proceduresAnnouncedOnTime', 'proceduresAnnounced'),
    numeratorVi: 'Số TTHC được công bố đúng hạn trong kỳ',
    numeratorEn: 'Procedures announced on time in the period',
    denominatorVi: 'Số TTHC được công bố trong kỳ',
    denominatorEn: 'Procedures announced in the period',
    scoring: LINEAR,
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '1.2',
    group: 'transparency',
    nameVi: 'TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia',
    nameEn: 'Procedures updated and published on time in the national database',
    pmax: 4,
    scored: true,
    measure: percent('proceduresPublishedOnTime', 'proceduresDueToPublish'),
    numeratorVi: 'Số TTHC được cập nhật, công khai đúng hạn',
    numeratorEn: 'Procedures published on time',
    denominatorVi: 'Số TTHC phải cập nhật, công khai',
    denominatorEn: 'Procedures due to be published',
    scoring: LINEAR,
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '1.3',
    group: 'transparency',
    nameVi: 'TTHC công khai đầy đủ nội dung',
    nameEn: 'Procedures published in full',
    pmax: 2,
    scored: true,
    measure: percent('proceduresFullyPublished', 'proceduresPublished'),
    numeratorVi: 'Số TTHC được công khai đầy đủ các bộ phận',
    numeratorEn: 'Procedures with every component published',
    denominatorVi: 'Số TTHC được công khai',
    denominatorEn: 'Procedures published',
    scoring: LINEAR,
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '1.4',
    group: 'transparency',
    nameVi: 'Hồ sơ đồng bộ lên Cổng DVCQG',
    nameEn: 'Dossiers synced to the National Public Service Portal',
    pmax: 6,
    scored: true,
    measure: percent('synced', 'syncTracked'),
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ đã đồng bộ lên Cổng DVCQG đến cuối kỳ',
    numeratorEn: 'Dossiers received in the period and synced to the national portal by its end',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ tại đơn vị có gửi sự kiện đồng bộ',
    denominatorEn: 'Dossiers received in the period by units whose sources send `synced` events',
    scoring: LINEAR,
    source: 'events',
    // A unit that never sent `synced` has no data for 1.4 rather than 0%.
    coverage: { attributes: ['synced'], known: 'syncTracked', total: 'received' },
    kpiV1: null,
  },
  {
    id: '2.1',
    group: 'progress',
    nameVi: 'Giải quyết đúng hạn',
    nameEn: 'On-time processing',
    pmax: 20,
    scored: true,
    measure: { kind: 'percent', ratio: ON_TIME },
    numeratorVi: 'Hồ sơ đã giải quyết trước hạn, đúng hạn trong kỳ + hồ sơ đang giải quyết chưa quá hạn cuối kỳ',
    numeratorEn: 'Dossiers resolved early or on time in the period + dossiers in progress at period end and not past due',
    denominatorVi: 'Hồ sơ đã giải quyết trong kỳ + hồ sơ đang giải quyết cuối kỳ',
    denominatorEn: 'Dossiers resolved in the period + dossiers in progress at period end',
    scoring: LINEAR,
    source: 'events',
    coverage: null,
    kpiV1: 'onTime',
  },
  {
    id: '2.2',
    group: 'progress',
    nameVi: 'Thời gian giải quyết trung bình',
    nameEn: 'Mean processing time',
    pmax: 0,
    scored: false,
    measure: { kind: 'meanDays', ratio: ratio(sum('processingDays'), sum('resolved')) },
    numeratorVi: 'Tổng số ngày từ khi tiếp nhận đến khi giải quyết xong của các hồ sơ giải quyết xong trong kỳ',
    numeratorEn: 'Total days from receipt to completion of the dossiers completed in the period',
    denominatorVi: 'Hồ sơ giải quyết xong trong kỳ',
    denominatorEn: 'Dossiers completed in the period',
    scoring: NOT_SCORED,
    source: 'events',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '3.x',
    group: 'online',
    nameVi: 'Hồ sơ DVCTT toàn trình',
    nameEn: 'Full-process online dossiers',
    pmax: 12,
    scored: true,
    measure: percent('fullEligibleOnline', 'fullEligible'),
    numeratorVi: 'Hồ sơ tiếp nhận trực tuyến của thủ tục đủ điều kiện toàn trình',
    numeratorEn: 'Received online for procedures eligible for full-process online',
    denominatorVi: 'Hồ sơ tiếp nhận của thủ tục đủ điều kiện toàn trình',
    denominatorEn: 'Received for such procedures',
    scoring: fullAt(50),
    source: 'events',
    coverage: null,
    kpiV1: 'fullOnline',
  },
  {
    id: '3.3',
    group: 'online',
    nameVi: 'Hồ sơ theo hình thức nộp',
    nameEn: 'Dossiers by filing channel',
    pmax: 0,
    scored: false,
    measure: percent('receivedOnline', 'received'),
    numeratorVi: 'Hồ sơ tiếp nhận trực tuyến trong kỳ',
    numeratorEn: 'Dossiers received online in the period',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ',
    denominatorEn: 'Dossiers received in the period',
    scoring: NOT_SCORED,
    source: 'events',
    coverage: null,
    kpiV1: 'online',
  },
  {
    id: '3.5a',
    group: 'payment',
    nameVi: 'TTHC có nghĩa vụ tài chính được cung cấp trên Cổng DVCQG',
    nameEn: 'Fee-bearing procedures offered on the national portal',
    pmax: 2,
    scored: true,
    measure: percent('feeProceduresOnPortal', 'feeProceduresCatalogued'),
    numeratorVi: 'Số TTHC có nghĩa vụ tài chính được cung cấp trên Cổng DVCQG',
    numeratorEn: 'Fee-bearing procedures offered on the portal',
    denominatorVi: 'Số TTHC có nghĩa vụ tài chính',
    denominatorEn: 'Fee-bearing procedures',
    scoring: fullAt(80),
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '3.5b',
    group: 'payment',
    nameVi: 'TTHC có giao dịch thanh toán trực tuyến',
    nameEn: 'Procedures with online payment transactions',
    pmax: 2,
    scored: true,
    measure: percent('feeProceduresPaidOnline', 'feeProceduresReceived'),
    numeratorVi: 'Số TTHC có ít nhất 1 hồ sơ thanh toán trực tuyến',
    numeratorEn: 'Distinct procedures with at least one dossier paid online',
    denominatorVi: 'Số TTHC có hồ sơ có phí, lệ phí tiếp nhận trong kỳ',
    denominatorEn: 'Distinct procedures with fee-bearing dossiers received in the period',
    scoring: fullAt(80),
    source: 'events',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '3.6',
    group: 'payment',
    nameVi: 'Hồ sơ thanh toán trực tuyến',
    nameEn: 'Dossiers paid online',
    pmax: 6,
    scored: true,
    measure: percent('paidOnline', 'feeRequired'),
    numeratorVi: 'Hồ sơ thanh toán trực tuyến',
    numeratorEn: 'Of the denominator, those paid online',
    denominatorVi: 'Hồ sơ có phí, lệ phí tiếp nhận trong kỳ',
    denominatorEn: 'Fee-bearing dossiers received in the period',
    scoring: LINEAR,
    source: 'events',
    coverage: null,
    kpiV1: 'onlinePayment',
  },
  {
    id: '4.1',
    group: 'digitization',
    nameVi: 'Hồ sơ có kết quả điện tử',
    nameEn: 'Dossiers with electronic results',
    pmax: 6,
    scored: true,
    measure: percent('eResult', 'resultResolved'),
    numeratorVi: 'Hồ sơ được cấp kết quả điện tử',
    numeratorEn: 'Of the denominator, those whose result was issued electronically',
    denominatorVi: 'Hồ sơ giải quyết xong (có kết quả) trong kỳ',
    denominatorEn: 'Dossiers completed in the period with outcome resolved whose procedure returns a result',
    scoring: LINEAR,
    source: 'events',
    coverage: null,
    kpiV1: 'eResult',
  },
  {
    id: '4.2',
    group: 'digitization',
    nameVi: 'Hồ sơ số hóa thành phần',
    nameEn: 'Dossiers with digitised components',
    pmax: 4,
    scored: true,
    measure: percent('digitized', 'received'),
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ đã số hóa thành phần và, khi đã giải quyết xong, có kết quả điện tử (với thủ tục có trả kết quả)',
    numeratorEn: 'Dossiers received in the period with digitised components and, once resolved, an electronic result where the procedure returns one',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ',
    denominatorEn: 'Dossiers received in the period',
    scoring: fullAt(80),
    source: 'events',
    coverage: null,
    kpiV1: 'digitized',
  },
  {
    id: '4.c',
    group: 'digitization',
    nameVi: 'Chứng thực bản sao điện tử từ bản chính',
    nameEn: 'Electronic certified copies from originals',
    pmax: 2,
    scored: true,
    measure: percent('certificationProvided', 'certificationUnits'),
    numeratorVi: 'Đơn vị có cung cấp dịch vụ (1) hoặc không (0)',
    numeratorEn: 'Service provided (1) or not (0)',
    denominatorVi: 'Đơn vị báo cáo (1 mỗi đơn vị)',
    denominatorEn: 'Reporting units (1 each)',
    scoring: LINEAR,
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '4.3',
    group: 'digitization',
    nameVi: 'Hồ sơ khai thác, sử dụng lại dữ liệu số hóa',
    nameEn: 'Dossiers reusing digitised data',
    pmax: 2,
    scored: true,
    measure: percent('reusedDigitizedData', 'reuseKnown'),
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ có ít nhất 1 thành phần sử dụng lại dữ liệu đã số hóa',
    numeratorEn: 'Dossiers received in the period with at least one component reused from digitised data',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ (có thông tin về việc sử dụng lại dữ liệu)',
    denominatorEn: 'Dossiers received in the period (that carry whether data was reused)',
    scoring: fullAt(80),
    source: 'events',
    coverage: { attributes: ['reusedDigitizedData'], known: 'reuseKnown', total: 'received' },
    kpiV1: null,
  },
  {
    id: '4.4',
    group: 'digitization',
    nameVi: 'Hồ sơ kết nối, chia sẻ kho dữ liệu cá nhân',
    nameEn: "Dossiers linked to the citizen's data store",
    pmax: 4,
    scored: true,
    measure: percent('citizenStoreLinked', 'citizenStoreKnown'),
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ có thành phần lấy từ kho dữ liệu cá nhân, hoặc có kết quả điện tử đã đồng bộ vào kho đến cuối kỳ',
    numeratorEn: "Dossiers received in the period with a component from the citizen's data store, or whose electronic result was synced to it by the period end",
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ (có thông tin về kho dữ liệu cá nhân)',
    denominatorEn: "Dossiers received in the period (whose link to the citizen's data store is known)",
    scoring: LINEAR,
    source: 'events',
    coverage: { attributes: ['fromCitizenStore', 'syncedToCitizenStore'], known: 'citizenStoreKnown', total: 'received' },
    kpiV1: null,
  },
  {
    id: '4.5a',
    group: 'digitization',
    nameVi: 'TTHC kết nối, chia sẻ dữ liệu dân cư',
    nameEn: 'Procedures connected to the population database',
    pmax: 2,
    scored: true,
    measure: percent('citizenProceduresConnected', 'citizenProcedures'),
    numeratorVi: 'Số TTHC cho công dân đã kết nối, chia sẻ với CSDL quốc gia về dân cư',
    numeratorEn: 'Procedures for citizens connected to the population database',
    denominatorVi: 'Số TTHC cho công dân',
    denominatorEn: 'Procedures for citizens',
    scoring: LINEAR,
    source: 'reported',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '4.5b',
    group: 'digitization',
    nameVi: 'Hồ sơ sử dụng dữ liệu CSDL dân cư',
    nameEn: 'Dossiers using population-database data',
    pmax: 2,
    scored: true,
    measure: percent('citizenDataUsed', 'citizenDataKnown'),
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ có sử dụng dữ liệu từ CSDL quốc gia về dân cư',
    numeratorEn: 'Dossiers received in the period that used population-database data',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ (có thông tin về việc sử dụng dữ liệu dân cư)',
    denominatorEn: 'Dossiers received in the period (that carry whether population data was used)',
    scoring: LINEAR,
    source: 'events',
    coverage: { attributes: ['citizenDataUsed'], known: 'citizenDataKnown', total: 'received' },
    kpiV1: null,
  },
  {
    id: '5.2',
    group: 'satisfaction',
    nameVi: 'PAKN xử lý đúng hạn',
    nameEn: 'Feedback handled on time',
    pmax: 6,
    scored: true,
    measure: {
      kind: 'percent',
      ratio: ratio({ plus: ['feedbackAnsweredOnTime', 'feedbackOpen'], minus: ['feedbackOpenOverdue'] }, sum('feedbackAnswered', 'feedbackOpen')),
    },
    numeratorVi: 'PAKN đã trả lời đúng hạn trong kỳ + PAKN đang xử lý cuối kỳ chưa quá hạn',
    numeratorEn: 'Feedback answered in the period by its due date + open at period end and not past due',
    denominatorVi: 'PAKN đã trả lời trong kỳ + PAKN đang xử lý cuối kỳ',
    denominatorEn: 'Feedback answered in the period + open at period end',
    scoring: LINEAR,
    source: 'events',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '5.3',
    group: 'satisfaction',
    nameVi: 'Hài lòng trong xử lý PAKN',
    nameEn: 'Satisfaction with feedback handling',
    pmax: 6,
    scored: true,
    measure: {
      kind: 'percent',
      ratio: ratio({ plus: ['feedbackFirstTime'], minus: ['feedbackFirstTimeLost'] }, sum('feedbackFirstTime')),
    },
    numeratorVi: 'PAKN lần đầu tiếp nhận trong kỳ, trừ PAKN bị đánh giá không hài lòng, bị phản ánh tiếp hoặc quá hạn đến cuối kỳ',
    numeratorEn: 'First-time feedback received in the period, minus those rated unsatisfied, followed up, or overdue by the period end',
    denominatorVi: 'PAKN lần đầu tiếp nhận trong kỳ',
    denominatorEn: 'First-time feedback received in the period',
    scoring: LINEAR,
    source: 'events',
    coverage: null,
    kpiV1: null,
  },
  {
    id: '5.4',
    group: 'satisfaction',
    nameVi: 'Hài lòng trong tiếp nhận, giải quyết TTHC',
    nameEn: 'Satisfaction with receipt and processing of dossiers',
    pmax: 6,
    scored: true,
    measure: { kind: 'percentDifference', minuend: ON_TIME, subtrahend: ratio(sum('resolvedDissatisfied'), sum('resolved')) },
    numeratorVi: '100% − (tỷ lệ quá hạn + tỷ lệ hồ sơ bị phản ánh, kiến nghị hoặc không hài lòng)',
    numeratorEn: '100% − (overdue % + complaint-or-dislike %)',
    denominatorVi: 'Tỷ lệ quá hạn = 100% − tỷ lệ giải quyết đúng hạn; tỷ lệ phản ánh, không hài lòng tính trên hồ sơ đã giải quyết trong kỳ',
    denominatorEn: 'Overdue % = 100% − on-time %; complaint-or-dislike % is taken over the dossiers resolved in the period',
    scoring: fullAt(90),
    source: 'events',
    coverage: null,
    kpiV1: null,
  },
] as const satisfies readonly SubIndicatorDefinition[];

export type SubIndicatorId = (typeof INDEX_V2_SUB_INDICATORS)[number]['id'];
export type ReportedSubIndicatorId = Extract<(typeof INDEX_V2_SUB_INDICATORS)[number], { source: 'reported' }>['id'];

/** A sub-indicator of this catalogue (its id one of the catalogue's). */
export type SubIndicator = SubIndicatorDefinition & { id: SubIndicatorId };

export const INDEX_V2_BY_ID: Readonly<Record<SubIndicatorId, SubIndicator>> = Object.fromEntries(INDEX_V2_SUB_INDICATORS.map((d) => [d.id, d])) as Record<SubIndicatorId, SubIndicator>;
