import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DEFAULT_FEEDBACK_LIMIT, FEEDBACK_STATUSES, FEEDBACK_TOPICS, type FeedbackListResponse, type FeedbackSummaryResponse, MAX_FEEDBACK_LIMIT } from '@ioc/shared';
import { Access, CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal } from '../auth/auth.types.js';
import { strictQuery } from '../common/query.js';
import { FEEDBACK_QUERY, FEEDBACK_SUMMARY_QUERY, FeedbackService } from './feedback.service.js';

const SCOPE_DOC = "nation, province:<2 digits> (its communes and its province-level feedback) or commune:<5 digits>; default the caller's scope";
const DATES_DOC = 'Receipt date, YYYY-MM-DD (Asia/Ho_Chi_Minh); give from, to or both (the other defaults to today, as /kpis); neither: every item';

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
  @ApiQuery({ name: 'scope', required: false, description: SCOPE_DOC, example: 'commune:00004' })
  @ApiQuery({ name: 'status', required: false, description: `${FEEDBACK_STATUSES.join(', ')}, comma-separated (default all); answered is on time or late` })
  @ApiQuery({ name: 'topic', required: false, description: `${FEEDBACK_TOPICS.join(', ')}, comma-separated (default all)` })
  @ApiQuery({ name: 'from', required: false, description: DATES_DOC })
  @ApiQuery({ name: 'to', required: false, description: DATES_DOC })
  @ApiQuery({ name: 'limit', required: false, description: `1–${MAX_FEEDBACK_LIMIT}, default ${DEFAULT_FEEDBACK_LIMIT}` })
  @ApiQuery({ name: 'offset', required: false, description: 'items to skip, default 0' })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<FeedbackListResponse> {
    return this.feedback.list(strictQuery(raw, FEEDBACK_QUERY), p);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'Counts of citizen feedback (PAKN) of a scope for an operations view: open, overdue, answered on time or late, per topic; follow-ups and ratings',
    description:
      'Over the items received between from and to (every item when neither is given), states at asOf as in the list. ' +
      'Needs the figures permission on the scope (403 outside it); unknown or repeated parameters are a 400. Sub-indicators 5.2 and 5.3 of the index are in /kpis.',
  })
  @ApiQuery({ name: 'scope', required: false, description: SCOPE_DOC, example: 'province:01' })
  @ApiQuery({ name: 'topic', required: false, description: `${FEEDBACK_TOPICS.join(', ')}, comma-separated (default all)` })
  @ApiQuery({ name: 'from', required: false, description: DATES_DOC })
  @ApiQuery({ name: 'to', required: false, description: DATES_DOC })
  summary(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<FeedbackSummaryResponse> {
    return this.feedback.summary(strictQuery(raw, FEEDBACK_SUMMARY_QUERY), p);
  }
}
