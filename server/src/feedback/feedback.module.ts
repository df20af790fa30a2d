import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module.js';
import { FeedbackController } from './feedback.controller.js';
import { FeedbackService } from './feedback.service.js';

/** Citizen feedback (PAKN): the list of items and its counts; the index's 5.2 and 5.3 read feedback-counts.ts. */
@Module({
  imports: [UnitsModule],
  controllers: [FeedbackController],
  providers: [FeedbackService],
})
export class FeedbackModule {}
