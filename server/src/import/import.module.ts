import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module.js';
import { UnitsModule } from '../units/units.module.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';

/** Bulk import of dossier history: POST /api/v1/imports (the CLI uses the same importer, see server/src/cli/import.ts). */
@Module({
  imports: [UnitsModule, IngestModule],
  controllers: [ImportController],
  providers: [ImportService],
})
export class ImportModule {}
