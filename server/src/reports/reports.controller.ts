import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { API_CONTRACT, type Report, type ReportListResponse, queryNames } from '@ioc/shared';
import { Access } from '../common/access-policy.js';
import { ClientInfo, CurrentUser } from '../auth/access.decorator.js';
import type { AuthedPrincipal, Client } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { ReportsService } from './reports.service.js';

const TYPES = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

// Any signed-in account; each report is checked like /kpis and /rankings of its scope.
@ApiTags('reports')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ path: 'reports', version: '1' })
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @ApiOperation({ summary: 'Archived reports the caller may read (of one scope, or of every scope they may read), newest period first' })
  list(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<ReportListResponse> {
    return this.reports.list(singleQuery(raw, queryNames(API_CONTRACT.reports.list.query)), p);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Generates and archives a report of a scope and period now (the caller must be able to read its figures and compare the units it ranks)' })
  create(@CurrentUser() p: AuthedPrincipal, @Body() body: unknown, @ClientInfo() client: Client): Promise<Report> {
    return this.reports.create(body, p, Date.now(), client);
  }

  @Get(':id.pdf')
  @ApiProduces(TYPES.pdf)
  @ApiOperation({ summary: 'The report as archived, as PDF' })
  pdf(@CurrentUser() p: AuthedPrincipal, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return this.send('pdf', id, p, res);
  }

  @Get(':id.xlsx')
  @ApiProduces(TYPES.xlsx)
  @ApiOperation({ summary: 'The report as archived, as an Excel workbook' })
  xlsx(@CurrentUser() p: AuthedPrincipal, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return this.send('xlsx', id, p, res);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A report with the exact figures it was made from (the answers of /kpis, /rankings and /kpis/series when it was generated)' })
  get(@CurrentUser() p: AuthedPrincipal, @Param('id') id: string): Promise<Report> {
    return this.reports.get(id, p);
  }

  private async send(format: 'pdf' | 'xlsx', id: string, p: AuthedPrincipal, res: Response): Promise<StreamableFile> {
    const f = await this.reports.file(id, format, p);
    res.setHeader('Content-Disposition', `attachment; filename="${f.filename}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(f.body, { type: TYPES[format], length: f.body.length });
  }
}
