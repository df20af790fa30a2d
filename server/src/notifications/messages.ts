import { DEFAULT_RULES, type MessageKind, type NotificationRecipient, SEVERITY_VI, type Severity, VN_OFFSET_MS, type WebhookAlert, type WebhookPayload, severityRank } from '@ioc/shared';

const RULES = new Map(DEFAULT_RULES.map((r) => [r.id, r]));
const NUMBER = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
/** A mail lists this many units; the rest are counted (the webhook body carries them all). */
const MAX_LISTED = 60;

/** What a message says, rendered once when it is queued so every retry sends the same thing. */
export interface RenderedMessage {
  subject: string;
  text: string;
  payload: WebhookPayload;
}

export function ruleName(ruleId: string | null): string {
  return ruleId === null ? '' : (RULES.get(ruleId)?.nameVi ?? ruleId);
}

export function ruleUnit(ruleId: string): string {
  return RULES.get(ruleId)?.unit ?? '';
}

/** `09:16 16/11/2026`, local time. */
export function localTime(ms: number): string {
  const d = new Date(ms + VN_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

function value(a: WebhookAlert): string {
  if (a.value === null) return 'không có số liệu';
  return a.unit === '%' ? `${NUMBER.format(a.value)} %` : `${NUMBER.format(a.value)} ${a.unit}`.trim();
}

function mostSevere(alerts: readonly WebhookAlert[]): Severity | null {
  let s: Severity | null = null;
  for (const a of alerts) if (severityRank(a.severity) > severityRank(s)) s = a.severity;
  return s;
}

function where(a: WebhookAlert): string {
  return a.unitCode.length === 2 ? a.unitName : `${a.unitName}, ${a.provinceName}`;
}

const HEADLINE: Record<Exclude<MessageKind, 'test'>, (n: number) => string> = {
  fired: (n) => (n === 1 ? 'Cảnh báo mới' : `${n} cảnh báo mới`),
  raised: (n) => (n === 1 ? 'Cảnh báo tăng mức' : `${n} cảnh báo tăng mức`),
  resolved: (n) => (n === 1 ? 'Đã hết cảnh báo' : `${n} cảnh báo đã hết`),
  escalation: (n) => (n === 1 ? 'Chuyển cấp: cảnh báo chưa được xác nhận' : `Chuyển cấp: ${n} cảnh báo chưa được xác nhận`),
  assigned: (n) => (n === 1 ? 'Cảnh báo được giao cho bạn xử lý' : `${n} cảnh báo được giao cho bạn xử lý`),
};

/**
 * One message for the alerts of one rule that changed in the same evaluation tick
 * (or that escalate together): a commune crossing a threshold alone and forty crossing it
 * at once both make one message.
 */
export function renderAlerts(input: {
  kind: Exclude<MessageKind, 'test'>;
  deliveryId: string;
  createdAt: number;
  ruleId: string;
  at: number;
  alerts: WebhookAlert[];
  recipients: NotificationRecipient[];
  /** For an escalation: the working minutes waited. */
  waitedMinutes?: number;
  /** For an assignment: who assigned it, and their note. */
  assignment?: { by: string; note: string | null };
}): RenderedMessage {
  const { kind, alerts } = input;
  const severity = mostSevere(alerts);
  const name = ruleName(input.ruleId);
  const n = alerts.length;
  const subject =
    n === 1 ? `[IOC] ${HEADLINE[kind](1)} (${SEVERITY_VI[alerts[0]!.severity]}): ${name} — ${where(alerts[0]!)}` : `[IOC] ${HEADLINE[kind](n)} (${severity ? SEVERITY_VI[severity] : ''}): ${name}`;
  const lines: string[] = [];
  lines.push(`${HEADLINE[kind](n)}: ${name}.`);
  lines.push(`Quy tắc: ${input.ruleId}`);
  lines.push(`Thời điểm: ${localTime(input.at)} (giờ Việt Nam)`);
  if (kind === 'escalation') {
    lines.push(`Cảnh báo đã kéo dài ${input.waitedMinutes ?? 0} phút làm việc mà chưa có cán bộ trực xác nhận, nên được chuyển lên lãnh đạo.`);
  }
  if (kind === 'assigned' && input.assignment) {
    lines.push(`Người giao: ${input.assignment.by}`);
    if (input.assignment.note) lines.push(`Ghi chú: ${input.assignment.note}`);
  }
  lines.push('');
  lines.push(`Đơn vị (${n}):`);
  const sorted = [...alerts].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.unitCode.localeCompare(b.unitCode));
  for (const a of sorted.slice(0, MAX_LISTED)) {
    lines.push(
      `- ${where(a)} (mã ${a.unitCode}): mức ${SEVERITY_VI[a.severity]}, giá trị ${value(a)}${kind === 'resolved' && a.clearedAt ? `, hết lúc ${localTime(Date.parse(a.clearedAt))}` : `, phát sinh lúc ${localTime(Date.parse(a.firedAt))}`}`,
    );
  }
  if (n > MAX_LISTED) lines.push(`… và ${n - MAX_LISTED} đơn vị khác.`);
  lines.push('');
  lines.push(
    kind === 'resolved'
      ? 'Chỉ số đã trở lại ngưỡng bình thường.'
      : kind === 'assigned'
        ? 'Vui lòng xem, xác nhận và xử lý cảnh báo trên bảng điều hành IOC (mục Vận hành, lọc "Giao cho tôi").'
        : 'Vui lòng xem và xác nhận cảnh báo trên bảng điều hành IOC.',
  );
  const text = lines.join('\n');
  return {
    subject,
    text,
    payload: {
      type: `alert.${kind}`,
      deliveryId: input.deliveryId,
      createdAt: new Date(input.createdAt).toISOString(),
      rule: { id: input.ruleId, nameVi: name },
      severity,
      subject,
      text,
      recipients: input.recipients,
      alerts: sorted,
    },
  };
}

/** The message "send test" sends. */
export function renderTest(deliveryId: string, channelName: string, by: string, now: number): RenderedMessage {
  const subject = `[IOC] Thư thử nghiệm kênh "${channelName}"`;
  const text = `Đây là thông báo thử nghiệm của kênh "${channelName}", do ${by} gửi lúc ${localTime(now)} (giờ Việt Nam).\nNếu bạn nhận được, kênh đã hoạt động.`;
  return {
    subject,
    text,
    payload: { type: 'test', deliveryId, createdAt: new Date(now).toISOString(), rule: null, severity: null, subject, text, recipients: [], alerts: [] },
  };
}
