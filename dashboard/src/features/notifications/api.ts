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
} from '@ioc/shared';
import { getAuthorized, postAuthorized, query, sendAuthorized } from '../../lib/api';
import type { ChannelBody, EscalationBody, SubscriptionBody } from './forms';

/** `/api/v1/notifications/…`: the REST contract is in shared/src/notifications/api.ts. */
const BASE = '/api/v1/notifications';
const id = (v: string) => encodeURIComponent(v);

export const fetchChannels = (signal: AbortSignal) => getAuthorized<NotificationChannel[]>(`${BASE}/channels`, signal);
export const createChannel = (body: ChannelBody) => postAuthorized<NotificationChannel>(`${BASE}/channels`, body);
export const updateChannel = (channelId: string, body: ChannelBody) => sendAuthorized<NotificationChannel>('PATCH', `${BASE}/channels/${id(channelId)}`, body);
export const deleteChannel = (channelId: string) => sendAuthorized<void>('DELETE', `${BASE}/channels/${id(channelId)}`);
/** An email channel's test goes to `to`, or to the administrator's own address when none is given. */
export const testChannel = (channelId: string, to: string | null) => postAuthorized<ChannelTestResult>(`${BASE}/channels/${id(channelId)}/test`, to ? { to } : {});

export const fetchContacts = (signal: AbortSignal) => getAuthorized<NotificationContact[]>(`${BASE}/contacts`, signal);
export const fetchGroups = (signal: AbortSignal) => getAuthorized<NotificationGroup[]>(`${BASE}/groups`, signal);

export const fetchSubscriptions = (signal: AbortSignal) => getAuthorized<NotificationSubscription[]>(`${BASE}/subscriptions`, signal);
export const createSubscription = (body: SubscriptionBody) => postAuthorized<NotificationSubscription>(`${BASE}/subscriptions`, body);
export const updateSubscription = (subId: string, body: SubscriptionBody) => sendAuthorized<NotificationSubscription>('PATCH', `${BASE}/subscriptions/${id(subId)}`, body);
export const deleteSubscription = (subId: string) => sendAuthorized<void>('DELETE', `${BASE}/subscriptions/${id(subId)}`);

export const fetchEscalationPolicy = (signal: AbortSignal) => getAuthorized<EscalationPolicy>(`${BASE}/escalation-policy`, signal);
export const saveEscalationPolicy = (body: EscalationBody) => sendAuthorized<EscalationPolicy>('PUT', `${BASE}/escalation-policy`, body);

/** Messages and their state, newest first; an operator gets those about their province only. */
export const fetchDeliveries = (params: { status?: string; page?: number; pageSize?: number }, signal: AbortSignal) =>
  getAuthorized<DeliveryListResponse>(`${BASE}/deliveries?${query(params)}`, signal);
export const fetchDeadLetters = (page: number, pageSize: number, signal: AbortSignal) => getAuthorized<DeliveryListResponse>(`${BASE}/dead-letters?${query({ page, pageSize })}`, signal);
export const retryDelivery = (deliveryId: string) => postAuthorized<NotificationDelivery>(`${BASE}/deliveries/${id(deliveryId)}/retry`, {});

export const fetchCaughtMail = (signal: AbortSignal) => getAuthorized<CaughtMailResponse>(`${BASE}/caught-mail`, signal);
