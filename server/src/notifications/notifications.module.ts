import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestModule } from '../ingest/ingest.module.js';
import { UnitsModule } from '../units/units.module.js';
import { DeliveryWorker } from './delivery.service.js';
import { DemoNotifications } from './demo-notifications.js';
import { NotificationDispatcher } from './dispatcher.service.js';
import { MailCatcher } from './mail-catcher.service.js';
import {
  EscalationPolicyRow,
  Notification,
  NotificationAttempt,
  NotificationChannel,
  NotificationContact,
  NotificationCursor,
  NotificationGroup,
  NotificationGroupMember,
  NotificationSubscription,
} from './notification.entities.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationPolicies } from './policies.service.js';

/** Reaching people outside the dashboard: email and signed webhooks, subscriptions, escalation. */
@Module({
  imports: [
    UnitsModule,
    IngestModule,
    TypeOrmModule.forFeature([
      NotificationChannel,
      NotificationGroup,
      NotificationGroupMember,
      NotificationContact,
      NotificationSubscription,
      EscalationPolicyRow,
      Notification,
      NotificationAttempt,
      NotificationCursor,
    ]),
  ],
  controllers: [NotificationsController],
  providers: [MailCatcher, NotificationPolicies, DeliveryWorker, NotificationDispatcher, DemoNotifications],
  exports: [NotificationDispatcher, DeliveryWorker],
})
export class NotificationsModule {}
