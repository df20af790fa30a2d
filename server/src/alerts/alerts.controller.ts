import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type AlertAssignee, type AlertDetail, type AlertEvaluationStatus, type AlertListResponse, type RuleOverride, type RuleResponse, queryNames } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { type AlertQuery, AlertsService } from './alerts.service.js';

const ALERT_PARAMS = queryNames(API_CONTRACT.alerts.list.query) satisfies readonly (keyof AlertQuery)[];

// Who acts is the signed-in account; each handler checks the alert's or rule's unit against the caller's scope.
@ApiTags('alerts')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @ApiOperation({ summary: 'Alerts, active first, most severe first, newest first; filtered and paged' })
  list(@Query() raw: Record<string, unknown>, @CurrentUser() p: AuthedPrincipal): Promise<AlertListResponse> {
    // Each parameter once (?severity=a&severity=b is a 400 saying how to ask for both, not a 500).
    return this.alerts.list(singleQuery(raw, ALERT_PARAMS, { severity: 'to list several, separate them with commas: severity=critical,major' }), p);
  }

  // Before alerts/:id, which would take "evaluation" for an id.
  @Get('alerts/evaluation')
  @ApiOperation({ summary: 'When the alert engine last evaluated every rule; evaluatedAt is null until its first evaluation' })
  evaluation(): Promise<AlertEvaluationStatus> {
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
  assign(@Param('id') id: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<AlertDetail> {
    return this.alerts.assign(id, body, p, client);
  }

  @Post('alerts/:id/comments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a comment to an alert' })
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
  setOverride(@Param('rule') rule: string, @Param('unit') unit: string, @Body() body: unknown, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<RuleOverride> {
    return this.alerts.setOverride(rule, unit, body, p, client);
  }

  @Delete('alert-rules/:rule/overrides/:unit')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a province's or commune's override: the defaults apply again" })
  deleteOverride(@Param('rule') rule: string, @Param('unit') unit: string, @CurrentUser() p: AuthedPrincipal, @ClientInfo() client: Client): Promise<void> {
    return this.alerts.deleteOverride(rule, unit, p, client);
  }
}
