import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { API_CONTRACT, queryNames } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { type DeliveryQuery, DeliveryWorker } from './delivery.service.js';
import { MailCatcher } from './mail-catcher.service.js';
import { NotificationPolicies } from './policies.service.js';

const DELIVERY_PARAMS = queryNames(API_CONTRACT.notifications.deliveries.query) satisfies readonly (keyof DeliveryQuery)[];
const DEAD_LETTER_PARAMS = queryNames(API_CONTRACT.notifications.deadLetters.query) satisfies readonly (keyof DeliveryQuery)[];
const deliveryQuery = (raw: Record<string, unknown>, names: readonly (keyof DeliveryQuery)[]) =>
  singleQuery(raw, names, { status: 'to list several, separate them with commas: status=failed,dead_letter' });

// Configuration is for administrators; delivery states also for operators, about their province.
@ApiTags('notifications')
@ApiBearerAuth()
@Controller({ path: 'notifications', version: '1' })
export class NotificationsController {
  constructor(
    private readonly policies: NotificationPolicies,
    private readonly worker: DeliveryWorker,
    private readonly catcher: MailCatcher,
  ) {}

  @Get('channels')
  @Access('admin')
  @ApiOperation({ summary: 'Notification channels (administrators); secrets are never shown, only whether one is set' })
  channels(): Promise<NotificationChannel[]> {
    return this.policies.channels();
  }

  @Post('channels')
  @Access('admin')
  @ApiOperation({ summary: 'Creates a channel: {name, kind: email, from?} or {name, kind: webhook, url, secret}' })
  createChannel(@Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationChannel> {
    return this.policies.createChannel(body, p, client);
  }

  @Patch('channels/:id')
  @Access('admin')
  @ApiOperation({ summary: 'Changes a channel: {name?, enabled?, from?, url?, secret?}' })
  updateChannel(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationChannel> {
    return this.policies.updateChannel(id, body, p, client);
  }

  @Delete('channels/:id')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a channel and its subscriptions; its queued messages then fail' })
  deleteChannel(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<void> {
    return this.policies.deleteChannel(id, p, client);
  }

  @Post('channels/:id/test')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a test message through the channel now: {to?} for email (default: your own address)' })
  test(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<ChannelTestResult> {
    return this.worker.test(id, body, p, client);
  }

  @Get('contacts')
  @Access('admin')
  @ApiOperation({ summary: 'Every active account with its email address for notifications' })
  contacts(): Promise<NotificationContact[]> {
    return this.policies.contacts();
  }

  @Put('contacts/:userId')
  @Access('admin')
  @ApiOperation({ summary: "Sets an account's email address for notifications: {email} (null removes it)" })
  setContact(@Param('userId') userId: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationContact> {
    return this.policies.setContact(userId, body, p, client);
  }

  @Get('groups')
  @Access('admin')
  @ApiOperation({ summary: 'Groups of accounts that subscriptions can name' })
  groups(): Promise<NotificationGroup[]> {
    return this.policies.groups();
  }

  @Post('groups')
  @Access('admin')
  @ApiOperation({ summary: 'Creates a group: {name, members: [userId…]}' })
  createGroup(@Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationGroup> {
    return this.policies.createGroup(body, p, client);
  }

  @Patch('groups/:id')
  @Access('admin')
  @ApiOperation({ summary: 'Renames a group or replaces its members: {name?, members?}' })
  updateGroup(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationGroup> {
    return this.policies.updateGroup(id, body, p, client);
  }

  @Delete('groups/:id')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a group and the subscriptions naming it' })
  deleteGroup(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<void> {
    return this.policies.deleteGroup(id, p, client);
  }

  @Get('subscriptions')
  @Access('admin')
  @ApiOperation({ summary: 'Who is told about which alerts, through which channel' })
  subscriptions(): Promise<NotificationSubscription[]> {
    return this.policies.subscriptions();
  }

  @Post('subscriptions')
  @Access('admin')
  @ApiOperation({
    summary: 'Creates a subscription: {channelId, recipient: {kind: user, userId} | {kind: group, groupId}, scope, minSeverity?, ruleId?, quietHours?: {start, end}, notifyResolved?, enabled?, name?}',
  })
  createSubscription(@Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationSubscription> {
    return this.policies.createSubscription(body, p, client);
  }

  @Patch('subscriptions/:id')
  @Access('admin')
  @ApiOperation({ summary: 'Changes a subscription (any of its fields)' })
  updateSubscription(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationSubscription> {
    return this.policies.updateSubscription(id, body, p, client);
  }

  @Delete('subscriptions/:id')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a subscription' })
  deleteSubscription(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<void> {
    return this.policies.deleteSubscription(id, p, client);
  }

  @Get('escalation-policy')
  @Access('admin')
  @ApiOperation({ summary: 'Working minutes per severity before an unacknowledged alert goes to the leaders, and the channels used' })
  escalationPolicy(): Promise<EscalationPolicy> {
    return this.policies.escalationPolicy();
  }

  @Put('escalation-policy')
  @Access('admin')
  @ApiOperation({ summary: 'Sets the escalation policy: {afterMinutes?: {critical?, major?, minor?, warning?} (null: never), channelIds?}' })
  setEscalationPolicy(@Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<EscalationPolicy> {
    return this.policies.setEscalationPolicy(body, p, client);
  }

  @Get('deliveries')
  @Access('signed-in')
  @ApiOperation({ summary: 'Messages and their delivery state, newest first: administrators all, operators those about their province' })
  deliveries(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<DeliveryListResponse> {
    return this.worker.list(deliveryQuery(raw, DELIVERY_PARAMS), p);
  }

  @Get('dead-letters')
  @Access('admin')
  @ApiOperation({ summary: 'Messages whose every attempt failed (administrators)' })
  deadLetters(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<DeliveryListResponse> {
    return this.worker.list(deliveryQuery(raw, DEAD_LETTER_PARAMS), p, true);
  }

  @Post('deliveries/:id/retry')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queues a failed or dead-lettered message again' })
  redeliver(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<NotificationDelivery> {
    return this.worker.redeliver(id, p, client);
  }

  @Get('caught-mail')
  @Access('admin')
  @ApiOperation({ summary: "The demo mail catcher's messages, newest first (demo mode without SMTP_URL)" })
  caughtMail(): CaughtMailResponse {
    return this.catcher.list();
  }
}
