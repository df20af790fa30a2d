import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type FeedbackListResponse, type FeedbackSummaryResponse, queryNames } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { FeedbackService } from './feedback.service.js';

@ApiTags('feedback')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ path: 'feedback', version: '1' })
export class FeedbackController {
  constructor(private readonly feedback: FeedbackService) {}

  @Get()
  @ApiOperation({
    summary: 'Citizen feedback (PAKN) of a scope: open and overdue first (least time left first), then answered (latest answer first)',
    description:
      'Folded from the feedback events of ingest contract v1.1; an item is listed once its feedback_received has arrived. States at asOf: open ' +
      '(not answered, not past its due date), overdue (not answered and past it), answered_on_time (answered by the due date), answered_late. ' +
      'totals counts every state over scope, topic and dates (whatever the status filter); total counts the items matching every filter. ' +
      'Needs the dossiers permission on the scope (403 outside it); unknown or repeated parameters are a 400.',
  })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<FeedbackListResponse> {
    return this.feedback.list(singleQuery(raw, queryNames(API_CONTRACT.feedback.list.query)), p);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Counts of citizen feedback (PAKN) of a scope for an operations view: open, overdue, answered on time or late, per topic; follow-ups and ratings',
    description:
      'Over the items received between from and to (every item when neither is given), states at asOf as in the list. ' +
      'Needs the figures permission on the scope (403 outside it); unknown or repeated parameters are a 400. Sub-indicators 5.2 and 5.3 of the index are in /kpis.',
  })
  summary(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<FeedbackSummaryResponse> {
    return this.feedback.summary(singleQuery(raw, queryNames(API_CONTRACT.feedback.summary.query)), p);
  }
}
