import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ImportResponse } from '@ioc/shared';
import type { Request } from 'express';
import { Access } from '../common/access-policy.js';
import { CurrentSource } from '../auth/access.decorator.js';
import type { IngestSource } from '../auth/auth.types.js';
import { ImportService } from './import.service.js';
import { IMPORT_DESCRIPTION, IMPORT_REQUEST_BODY, IMPORT_RESPONSE_EXAMPLE } from './import.openapi.js';

@ApiTags('ingest')
@Controller({ path: 'imports', version: '1' })
export class ImportController {
  constructor(private readonly imports: ImportService) {}

  @Post()
  @HttpCode(200)
  @Access('ingest-key')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Import dossier history (CSV or NDJSON dossier records, streamed)', description: IMPORT_DESCRIPTION, requestBody: IMPORT_REQUEST_BODY })
  @ApiResponse({ status: 200, description: 'Counts of the outcomes, and the first bad lines with their line numbers', schema: { example: IMPORT_RESPONSE_EXAMPLE } })
  @ApiResponse({ status: 400, description: 'The body is no import: empty, a CSV header with unknown or missing columns, broken gzip' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked X-Api-Key' })
  @ApiResponse({ status: 413, description: 'More than 256 MB (uncompressed); when found mid-stream, the lines before were imported (details holds the counts)' })
  @ApiResponse({ status: 415, description: 'Not text/csv or application/x-ndjson, not UTF-8, or a Content-Encoding other than gzip' })
  @ApiResponse({ status: 503, description: 'The database is unavailable: chunks committed before stay stored; send the file again (stored records count as duplicates)' })
  async post(@Req() req: Request, @CurrentSource() source: IngestSource): Promise<ImportResponse> {
    return this.imports.importBody(req, { contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'], contentLength: req.headers['content-length'] }, source);
  }
}
