import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AlertAssignee, AlertDetail, AlertEvaluationStatus, AlertListResponse, RuleOverride, RuleResponse } from '@ioc/shared';
import { Access, ClientInfo, CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { strictQuery } from '../common/query.js';
import { type AlertQuery, AlertsService } from './alerts.service.js';

const ALERT_PARAMS = ['status', 'acknowledged', 'severity', 'scope', 'rule', 'assignee', 'from', 'to', 'page', 'pageSize'] as const satisfies readonly (keyof AlertQuery)[];

// Who acts is the signed-in account; each handler checks the alert's or rule's unit against the caller's scope.
@ApiTags('alerts')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @ApiOperation({ summary: 'Alerts, active first, most severe first, newest first; filtered and paged' })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'cleared'] })
  @ApiQuery({ name: 'acknowledged', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'severity', required: false, description: 'comma-separated: critical, major, minor, warning' })
  @ApiQuery({ name: 'scope', required: false, description: "the caller's scope (default), or nation, province:<2 digits> (its communes and itself) or commune:<5 digits> within it" })
  @ApiQuery({ name: 'rule', required: false, description: 'a rule id, e.g. commune-on-time-7d' })
  @ApiQuery({ name: 'assignee', required: false, description: 'assigned to this username, or to the caller: me' })
  @ApiQuery({ name: 'from', required: false, description: 'fired on or after this local date, YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: false, description: 'fired on or before this local date, YYYY-MM-DD' })
  @ApiQuery({ name: 'page', required: false, description: 'from 1' })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–200, default 50' })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<AlertListResponse> {
    // Each parameter once (?severity=a&severity=b is a 400 saying how to ask for both, not a 500).
    return this.alerts.list(strictQuery(raw, ALERT_PARAMS, { severity: 'to list several, separate them with commas: severity=critical,major' }), p);
  }

  // Before alerts/:id, which would take "evaluation" for an id.
  @Get('alerts/evaluation')
  @ApiOperation({ summary: 'When the alert engine last evaluated every rule; evaluatedAt is null until its first evaluation' })
  evaluation(@Query() raw: Record<string, unknown>): Promise<AlertEvaluationStatus> {
    strictQuery(raw, []);
    return this.alerts.evaluation();
  }

  @Get('alerts/:id')
  @ApiOperation({ summary: 'One alert: the values that made it fire, the rule that evaluated them, and its whole history' })
  detail(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal): Promise<AlertDetail> {
    return this.alerts.detail(id, p);
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an alert (active or cleared), with a note; 409 if already acknowledged' })
  @ApiBody({ schema: { type: 'object', properties: { note: { type: 'string', maxLength: 2000 } } } })
  acknowledge(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<AlertDetail> {
    return this.alerts.acknowledge(id, body, p, client);
  }

  @Get('alerts/:id/assignees')
  @ApiOperation({ summary: "The people the alert may be assigned to: active accounts that may act on its unit (the province's operators, the commune's chair, administrators)" })
  assignees(@Param('id') id: string, @CurrentUser() p: AuthedPrincipal): Promise<AlertAssignee[]> {
    return this.alerts.assignees(id, p);
  }

  @Post('alerts/:id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign an alert to one of its assignees (a username); 409 if it is already theirs' })
  @ApiBody({ schema: { type: 'object', required: ['assignee'], properties: { assignee: { type: 'string', description: 'a username from GET /alerts/{id}/assignees' }, note: { type: 'string', maxLength: 2000 } } } })
  assign(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<AlertDetail> {
    return this.alerts.assign(id, body, p, client);
  }

  @Post('alerts/:id/comments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a comment to an alert' })
  @ApiBody({ schema: { type: 'object', required: ['note'], properties: { note: { type: 'string', maxLength: 2000 } } } })
  comment(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<AlertDetail> {
    return this.alerts.comment(id, body, p, client);
  }

  @Get('alert-rules')
  @ApiOperation({ summary: 'The default rules every commune and province gets, with how many overrides each has' })
  rules(): Promise<RuleResponse[]> {
    return this.alerts.rules();
  }

  @Get('alert-rules/:rule/overrides')
  @ApiOperation({ summary: "A rule's province and commune overrides" })
  overrides(@Param('rule') rule: string, @CurrentUser() p: AuthedPrincipal): Promise<RuleOverride[]> {
    return this.alerts.overrides(rule, p);
  }

  @Put('alert-rules/:rule/overrides/:unit')
  @ApiOperation({ summary: "Set a province's (2 digits, applies to its communes too) or a commune's parameters of a rule; merged with what is set" })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        thresholds: { type: 'object', properties: { critical: { type: 'number' }, major: { type: 'number' }, minor: { type: 'number' }, warning: { type: 'number' } } },
        hysteresis: { type: 'number' },
        pendingMinutes: { type: 'integer' },
        clearMinutes: { type: 'integer' },
        minVolume: { type: 'number' },
        enabled: { type: 'boolean' },
      },
    },
  })
  setOverride(
    @Param('rule') rule: string,
    @Param('unit') unit: string,
    @Body() body: unknown,
    @CurrentUser() p: AuthedPrincipal,
    @ClientInfo() client: Client,
  ): Promise<RuleOverride> {
    return this.alerts.setOverride(rule, unit, body, p, client);
  }

  @Delete('alert-rules/:rule/overrides/:unit')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a province's or commune's override: the defaults apply again" })
  deleteOverride(@Param('rule') rule: string, @Param('unit') unit: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<void> {
    return this.alerts.deleteOverride(rule, unit, p, client);
  }
}
