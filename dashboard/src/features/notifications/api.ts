import { api } from '../../lib/api';
import type { ChannelCreateBody, ChannelUpdateBody, EscalationBody, SubscriptionBody } from './forms';

/** `/api/v1/notifications/…`: the routes are in shared/src/contract/notifications.ts, the types in shared/src/notifications/api.ts. */

export const fetchChannels = (signal: AbortSignal) => api.get('notifications.channels', {}, signal);
export const createChannel = (body: ChannelCreateBody) => api.post('notifications.createChannel', { body });
export const updateChannel = (id: string, body: ChannelUpdateBody) => api.patch('notifications.updateChannel', { params: { id }, body });
export const deleteChannel = (id: string) => api.delete('notifications.deleteChannel', { params: { id } });
/** An email channel's test goes to `to`, or to the administrator's own address when none is given. */
export const testChannel = (id: string, to: string | null) => api.post('notifications.testChannel', { params: { id }, body: to ? { to } : {} });

export const fetchContacts = (signal: AbortSignal) => api.get('notifications.contacts', {}, signal);
export const fetchGroups = (signal: AbortSignal) => api.get('notifications.groups', {}, signal);

export const fetchSubscriptions = (signal: AbortSignal) => api.get('notifications.subscriptions', {}, signal);
export const createSubscription = (body: SubscriptionBody) => api.post('notifications.createSubscription', { body });
export const updateSubscription = (id: string, body: SubscriptionBody) => api.patch('notifications.updateSubscription', { params: { id }, body });
export const deleteSubscription = (id: string) => api.delete('notifications.deleteSubscription', { params: { id } });

export const fetchEscalationPolicy = (signal: AbortSignal) => api.get('notifications.escalationPolicy', {}, signal);
export const saveEscalationPolicy = (body: EscalationBody) => api.put('notifications.setEscalationPolicy', { body });

/** Messages and their state, newest first; an operator gets those about their province only. */
export const fetchDeliveries = (query: { status?: string; page?: number; pageSize?: number }, signal: AbortSignal) => api.get('notifications.deliveries', { query }, signal);
export const fetchDeadLetters = (page: number, pageSize: number, signal: AbortSignal) => api.get('notifications.deadLetters', { query: { page, pageSize } }, signal);
export const retryDelivery = (id: string) => api.post('notifications.redeliver', { params: { id } });

export const fetchCaughtMail = (signal: AbortSignal) => api.get('notifications.caughtMail', {}, signal);
