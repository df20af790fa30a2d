import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AuditListResponse } from '@ioc/shared';
import { Access } from '../auth/access.decorator.js';
import { strictQuery } from '../common/query.js';
import { type AuditQuery, AuditService } from './audit.service.js';

const PARAMS = ['action', 'outcome', 'actor', 'target', 'from', 'to', 'page', 'pageSize'] as const satisfies readonly (keyof AuditQuery)[];

@ApiTags('audit')
@ApiBearerAuth()
@Controller({ path: 'audit', version: '1' })
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'The audit log, newest first (administrators): sign-ins, account, key, rule and alert changes' })
  @ApiQuery({ name: 'action', required: false, description: 'comma-separated actions or prefixes, e.g. auth.sign_in or auth,user' })
  @ApiQuery({ name: 'outcome', required: false, enum: ['success', 'failure'] })
  @ApiQuery({ name: 'actor', required: false, description: 'username' })
  @ApiQuery({ name: 'target', required: false, description: 'e.g. alert:42, user:<id>, key:<id>' })
  @ApiQuery({ name: 'from', required: false, description: 'first local date, YYYY-MM-DD' })
  @ApiQuery({ name: 'to', required: false, description: 'last local date, YYYY-MM-DD' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'pageSize', required: false, description: '1–500, default 50' })
  list(@Query() raw: Record<string, unknown>): Promise<AuditListResponse> {
    // Each parameter once: ?action=a&action=b is a 400 that says how to ask for both.
    return this.audit.list(strictQuery(raw, PARAMS, { action: 'to list several, separate them with commas: action=auth,rule' }));
  }
}
