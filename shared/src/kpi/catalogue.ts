/**
 * The KPI catalogue, versioned as `kpi-v1`: the index of Decision 766/QĐ-TTg
 * (2022) as scored on the National Public Service Portal, restricted to what
 * dossier events can compute. The rules are documented here and implemented in
 * `dossier.ts`, `contributions.ts` and `compute.ts`.
 */
/**
 * The definition the API's figures follow. Since `kpi-v2` the answers also carry the
 * national index sub-indicator by sub-indicator (index-v2.ts); the KPIs above keep
 * their kpi-v1 meaning.
 */
export const KPI_VERSION = 'kpi-v2';

export const KPI_IDS = ['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction'] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDefinition {
  id: KpiId;
  nameVi: string;
  nameEn: string;
  reference: string;
  numeratorVi: string;
  numeratorEn: string;
  denominatorVi: string;
  denominatorEn: string;
  /** Where the index awards full points, in percent (null: no index component). */
  fullScoreAt: number | null;
}

export const KPI_CATALOGUE: readonly KpiDefinition[] = [
  {
    id: 'onTime',
    nameVi: 'Tỷ lệ giải quyết đúng hạn',
    nameEn: 'On-time processing',
    reference: '766 §2.1',
    numeratorVi: 'Hồ sơ đã giải quyết trước hạn, đúng hạn trong kỳ + hồ sơ đang giải quyết chưa quá hạn cuối kỳ',
    numeratorEn: 'Dossiers resolved early or on time in the period + dossiers in progress at period end and not past due',
    denominatorVi: 'Hồ sơ đã giải quyết trong kỳ + hồ sơ đang giải quyết cuối kỳ',
    denominatorEn: 'Dossiers resolved in the period + dossiers in progress at period end',
    fullScoreAt: 100,
  },
  {
    id: 'online',
    nameVi: 'Tỷ lệ hồ sơ trực tuyến',
    nameEn: 'Online filing',
    reference: '766 §3.3',
    numeratorVi: 'Hồ sơ tiếp nhận trực tuyến trong kỳ',
    numeratorEn: 'Dossiers received online in the period',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ',
    denominatorEn: 'Dossiers received in the period',
    fullScoreAt: null,
  },
  {
    id: 'fullOnline',
    nameVi: 'Tỷ lệ hồ sơ trực tuyến toàn trình',
    nameEn: 'Full-process online',
    reference: 'Cổng DVCQG',
    numeratorVi: 'Hồ sơ trực tuyến của thủ tục đủ điều kiện toàn trình',
    numeratorEn: 'Received online for procedures eligible for full-process online',
    denominatorVi: 'Hồ sơ tiếp nhận của thủ tục đủ điều kiện toàn trình',
    denominatorEn: 'Received for such procedures',
    fullScoreAt: 50,
  },
  {
    id: 'digitized',
    nameVi: 'Tỷ lệ số hóa hồ sơ',
    nameEn: 'Digitised dossiers',
    reference: '766 §4.2',
    numeratorVi: 'Hồ sơ tiếp nhận trong kỳ đã số hóa thành phần và, khi đã giải quyết xong, có kết quả điện tử (với thủ tục có trả kết quả)',
    numeratorEn: 'Dossiers received in the period with digitised components and, once resolved, an electronic result where the procedure returns one',
    denominatorVi: 'Hồ sơ tiếp nhận trong kỳ',
    denominatorEn: 'Dossiers received in the period',
    fullScoreAt: 80,
  },
  {
    id: 'eResult',
    nameVi: 'Tỷ lệ cấp kết quả điện tử',
    nameEn: 'Electronic results',
    reference: '766 §4.1',
    numeratorVi: 'Hồ sơ được cấp kết quả điện tử',
    numeratorEn: 'Of the denominator, those whose result was issued electronically',
    denominatorVi: 'Hồ sơ giải quyết xong (có kết quả) trong kỳ',
    denominatorEn: 'Dossiers completed in the period with outcome resolved whose procedure returns a result',
    fullScoreAt: 80,
  },
  {
    id: 'onlinePayment',
    nameVi: 'Tỷ lệ thanh toán trực tuyến',
    nameEn: 'Online payment',
    reference: '766 §3.6',
    numeratorVi: 'Hồ sơ thanh toán trực tuyến',
    numeratorEn: 'Of the denominator, those paid online',
    denominatorVi: 'Hồ sơ có phí, lệ phí tiếp nhận trong kỳ',
    denominatorEn: 'Fee-bearing dossiers received in the period',
    fullScoreAt: 100,
  },
  {
    id: 'satisfaction',
    nameVi: 'Mức độ hài lòng',
    nameEn: 'Satisfaction',
    reference: '766 §5.4',
    numeratorVi: '100% − (tỷ lệ quá hạn + tỷ lệ phản ánh, kiến nghị)',
    numeratorEn: '100% − (overdue % + complaint %)',
    denominatorVi: '—',
    denominatorEn: '—',
    fullScoreAt: 90,
  },
];

/** Index components computable from dossier data (transparency, 18 points, is not). */
export const INDEX_COMPONENTS = [
  { id: 'progress', kpi: 'onTime', maxPoints: 20, fullAt: 100 },
  { id: 'online', kpi: 'fullOnline', maxPoints: 12, fullAt: 50 },
  { id: 'digitization', kpi: 'digitized', maxPoints: 22, fullAt: 80 },
  { id: 'satisfaction', kpi: 'satisfaction', maxPoints: 18, fullAt: 90 },
  { id: 'payment', kpi: 'onlinePayment', maxPoints: 10, fullAt: 100 },
] as const satisfies readonly { id: string; kpi: KpiId; maxPoints: number; fullAt: number }[];
export type IndexComponentId = (typeof INDEX_COMPONENTS)[number]['id'];
export const INDEX_MAX_POINTS = INDEX_COMPONENTS.reduce((s, c) => s + c.maxPoints, 0);

/**
 * The map's fixed class breaks per metric, ascending; class i holds values in
 * [breaks[i-1], breaks[i]), the last class reaches 100. Fixed (not quantiles of
 * the day's values) so a colour means the same thing on every screen and every
 * day. Each metric's full-score threshold of Decision 766 (online and
 * full-process online 50%, digitisation and electronic results 80%, satisfaction
 * 90%) is a break, so "meets the target" always starts a class; on-time
 * processing sits in the high nineties nationally, so its classes are finer there.
 */
export const MAP_CLASS_BREAKS: Readonly<Record<KpiId | 'points' | 'index', readonly number[]>> = {
  onTime: [70, 85, 90, 95, 98],
  online: [20, 35, 50, 65, 80],
  fullOnline: [20, 35, 50, 65, 80],
  digitized: [40, 60, 70, 80, 90],
  eResult: [40, 60, 70, 80, 90],
  onlinePayment: [20, 40, 60, 80, 90],
  satisfaction: [70, 80, 85, 90, 95],
  points: [50, 65, 75, 85, 95],
  index: [50, 65, 75, 85, 95],
};

/**
 * A scored sub-indicator's classes, in percent of its Pmax: the last class is
 * full points only (a "full at ≥ T" sub-indicator meeting its target), so
 * "nothing left to win" always has a colour of its own.
 */
export const SHARE_OF_PMAX_BREAKS: readonly number[] = [40, 60, 75, 90, 100];
