import { type ApiRoutes, type ChannelKind, type NotificationChannel, type NotificationSubscription, type QuietHours, type RecipientRef, SEVERITIES, type Severity, parseLocalTime } from '@ioc/shared';

/**
 * The notification forms as plain data: what each form holds, what is wrong with
 * it (checked here with the server's own limits, so a person is told before
 * sending), and the request body it becomes. Errors are codes; the page words them.
 */
export type FormErrorCode = 'required' | 'tooLong' | 'sender' | 'url' | 'secretShort' | 'secretRequired' | 'recipient' | 'channel' | 'commune' | 'time' | 'sameTimes' | 'minutes';
export type FormErrors<F extends string> = Partial<Record<F, FormErrorCode>>;
export type Checked<F extends string, B> = { ok: true; body: B } | { ok: false; errors: FormErrors<F> };

const NAME_MAX = 100;
const SENDER = [/^[^<>@\s]+@[^<>@\s]+$/, /^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/];
export const SECRET_MIN = 16;
const SECRET_MAX = 200;

function nameError(name: string, required: boolean): FormErrorCode | null {
  const v = name.trim();
  if (!v) return required ? 'required' : null;
  return v.length > NAME_MAX ? 'tooLong' : null;
}

function done<F extends string, B>(errors: FormErrors<F>, body: () => B): Checked<F, B> {
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body: body() };
}

// Channels

export interface ChannelForm {
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** Email: the sender shown; empty for the server's default. */
  from: string;
  /** Webhook: the address posted to (as the server shows it: a password in it is masked). */
  url: string;
  /** Webhook: never shown back; empty when editing keeps the one set. */
  secret: string;
}
export type ChannelField = 'name' | 'from' | 'url' | 'secret';

/** The body of a new channel, and that of a change to one (which may not change its kind). */
export type ChannelCreateBody = ApiRoutes['notifications.createChannel']['body'];
export type ChannelUpdateBody = ApiRoutes['notifications.updateChannel']['body'];

export function channelFormOf(c: NotificationChannel | null): ChannelForm {
  return { name: c?.name ?? '', kind: c?.kind ?? 'webhook', enabled: c?.enabled ?? true, from: c?.from ?? '', url: c?.url ?? '', secret: '' };
}

export function isWebhookUrl(s: string): boolean {
  return s.length <= 2000 && /^https?:\/\/\S+$/.test(s) && URL.canParse(s);
}

/**
 * A new channel (`existing` null) or the changes to one. The URL is sent only when
 * changed, so a masked password (`***`) is never written back over the real one.
 */
export function checkChannel(form: ChannelForm, existing: null): Checked<ChannelField, ChannelCreateBody>;
export function checkChannel(form: ChannelForm, existing: NotificationChannel): Checked<ChannelField, ChannelUpdateBody>;
export function checkChannel(form: ChannelForm, existing: NotificationChannel | null): Checked<ChannelField, ChannelCreateBody | ChannelUpdateBody> {
  const errors: FormErrors<ChannelField> = {};
  const name = nameError(form.name, true);
  if (name) errors.name = name;
  const kind = existing?.kind ?? form.kind;
  const from = form.from.trim();
  const url = form.url.trim();
  if (kind === 'email') {
    if (from && (from.length < 3 || from.length > 200 || !SENDER.some((re) => re.test(from)))) errors.from = 'sender';
  } else {
    if (!url) errors.url = 'required';
    else if (!isWebhookUrl(url)) errors.url = 'url';
    if (!form.secret && !existing?.hasSecret) errors.secret = 'secretRequired';
    else if (form.secret && (form.secret.length < SECRET_MIN || form.secret.length > SECRET_MAX)) errors.secret = 'secretShort';
  }
  return done(errors, () => {
    if (!existing) {
      const created: ChannelCreateBody = { name: form.name.trim(), enabled: form.enabled, kind };
      if (kind === 'email' && from) created.from = from;
      if (kind === 'webhook') Object.assign(created, { url, secret: form.secret });
      return created;
    }
    const body: ChannelUpdateBody = { name: form.name.trim(), enabled: form.enabled };
    if (kind === 'email' && from !== (existing.from ?? '')) body.from = from || null;
    if (kind === 'webhook' && url !== (existing.url ?? '')) body.url = url;
    if (kind === 'webhook' && form.secret) body.secret = form.secret;
    return body;
  });
}

export function isEmailAddress(s: string): boolean {
  return s.length <= 200 && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(s);
}

// Subscriptions

export interface SubscriptionForm {
  name: string;
  recipientKind: RecipientRef['kind'];
  userId: string;
  groupId: string;
  /** A province code, or empty for the nation. */
  province: string;
  /** A commune code (five digits), narrowing the scope to that commune; empty for none. */
  commune: string;
  minSeverity: Severity;
  /** One rule's id, or empty for every rule. */
  ruleId: string;
  channelId: string;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  notifyResolved: boolean;
  enabled: boolean;
}
export type SubscriptionField = 'name' | 'recipient' | 'channelId' | 'commune' | 'quietStart' | 'quietEnd';

export interface SubscriptionBody {
  name?: string;
  channelId: string;
  recipient: RecipientRef;
  scope: string;
  minSeverity: Severity;
  ruleId: string | null;
  quietHours: QuietHours | null;
  notifyResolved: boolean;
  enabled: boolean;
}

const QUIET_DEFAULT: QuietHours = { start: '22:00', end: '06:30' };

export function subscriptionFormOf(s: NotificationSubscription | null, defaultChannel = ''): SubscriptionForm {
  const [level, code = ''] = (s?.scope ?? 'nation').split(':');
  return {
    name: s?.name ?? '',
    recipientKind: s?.recipient.kind ?? 'user',
    userId: s?.recipient.kind === 'user' ? s.recipient.userId : '',
    groupId: s?.recipient.kind === 'group' ? s.recipient.groupId : '',
    province: level === 'province' ? code : '',
    commune: level === 'commune' ? code : '',
    minSeverity: s?.minSeverity ?? 'major',
    ruleId: s?.ruleId ?? '',
    channelId: s?.channelId ?? defaultChannel,
    quiet: s?.quietHours !== null && s?.quietHours !== undefined,
    quietStart: s?.quietHours?.start ?? QUIET_DEFAULT.start,
    quietEnd: s?.quietHours?.end ?? QUIET_DEFAULT.end,
    notifyResolved: s?.notifyResolved ?? true,
    enabled: s?.enabled ?? true,
  };
}

/** The scope a subscription form names: a commune when one is given, else the province, else the nation. */
export function scopeOfForm(f: Pick<SubscriptionForm, 'province' | 'commune'>): string {
  const commune = f.commune.trim();
  if (commune) return `commune:${commune}`;
  return f.province ? `province:${f.province}` : 'nation';
}

export function checkSubscription(form: SubscriptionForm): Checked<SubscriptionField, SubscriptionBody> {
  const errors: FormErrors<SubscriptionField> = {};
  const name = nameError(form.name, false);
  if (name) errors.name = name;
  if (form.recipientKind === 'user' ? !form.userId : !form.groupId) errors.recipient = 'recipient';
  if (!form.channelId) errors.channelId = 'channel';
  if (form.commune.trim() && !/^\d{5}$/.test(form.commune.trim())) errors.commune = 'commune';
  if (form.quiet) {
    if (parseLocalTime(form.quietStart) === null) errors.quietStart = 'time';
    if (parseLocalTime(form.quietEnd) === null) errors.quietEnd = 'time';
    else if (form.quietStart === form.quietEnd) errors.quietEnd = 'sameTimes';
  }
  return done(errors, () => ({
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    channelId: form.channelId,
    recipient: form.recipientKind === 'user' ? { kind: 'user', userId: form.userId } : { kind: 'group', groupId: form.groupId },
    scope: scopeOfForm(form),
    minSeverity: form.minSeverity,
    ruleId: form.ruleId || null,
    quietHours: form.quiet ? { start: form.quietStart, end: form.quietEnd } : null,
    notifyResolved: form.notifyResolved,
    enabled: form.enabled,
  }));
}

// Escalation

export interface EscalationForm {
  /** Working minutes per severity as typed; empty: never. */
  minutes: Record<Severity, string>;
  channelIds: string[];
}
export type EscalationField = Severity;

export interface EscalationBody {
  afterMinutes: Record<Severity, number | null>;
  channelIds: string[];
}

export function escalationFormOf(p: { afterMinutes: Record<Severity, number | null>; channelIds: string[] }): EscalationForm {
  return {
    minutes: Object.fromEntries(SEVERITIES.map((s) => [s, p.afterMinutes[s] === null ? '' : String(p.afterMinutes[s])])) as Record<Severity, string>,
    channelIds: [...p.channelIds],
  };
}

/** Whole working minutes from 1 to 10,000, or empty for never (the server's limits). */
export function checkEscalation(form: EscalationForm): Checked<EscalationField, EscalationBody> {
  const errors: FormErrors<EscalationField> = {};
  const afterMinutes = {} as Record<Severity, number | null>;
  for (const s of SEVERITIES) {
    const v = form.minutes[s].trim();
    if (!v) afterMinutes[s] = null;
    else if (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 10_000) afterMinutes[s] = Number(v);
    else errors[s] = 'minutes';
  }
  return done(errors, () => ({ afterMinutes, channelIds: [...new Set(form.channelIds)] }));
}
