import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type AuditListResponse, queryNames } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { singleQuery } from '../common/query.js';
import { type AuditQuery, AuditService } from './audit.service.js';

const PARAMS = queryNames(API_CONTRACT.audit.list.query) satisfies readonly (keyof AuditQuery)[];

@ApiTags('audit')
@ApiBearerAuth()
@Controller({ path: 'audit', version: '1' })
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'The audit log, newest first (administrators): sign-ins, account, key, rule and alert changes' })
  list(@Query() raw: Record<string, unknown>): Promise<AuditListResponse> {
    // Each parameter once: ?action=a&action=b is a 400 that says how to ask for both.
    return this.audit.list(singleQuery(raw, PARAMS, { action: 'to list several, separate them with commas: action=auth,rule' }));
  }
}
