import { DOSSIER_RECORD_JSON_SCHEMA, MAX_IMPORT_BYTES, MAX_IMPORT_ERRORS_LISTED, RECORD_COLUMNS, RECORD_FIELDS } from '@ioc/shared';

/** The record format as OpenAPI material, from the one field list in shared/src/records.ts. */
const COLUMNS = RECORD_COLUMNS.map((c) => `\`${c}\`${RECORD_FIELDS[c].required ? ' (required)' : ''}: ${RECORD_FIELDS[c].doc}`).join('; ');

export const IMPORT_DESCRIPTION =
  'Bulk import of dossier history: one line = one dossier record with its lifecycle instants and attributes. ' +
  'The body is streamed (never held whole) as text/csv with a header line naming the columns (any order; unknown columns refuse the file) ' +
  'or application/x-ndjson (one JSON object per line), UTF-8, optionally gzip-compressed (Content-Encoding: gzip); at most ' +
  `${MAX_IMPORT_BYTES / 1024 / 1024} MB uncompressed per request (larger histories are sent as several files). ` +
  `Columns: ${COLUMNS}. In CSV an empty cell is an absent value and booleans are true/false (or 1/0); in NDJSON null is absent. ` +
  'Each record is validated by the rules of the ingest contract for the events it stands for (instants between 2000-01-01 and now with a real offset, ' +
  "dueAt at most 5 years after receivedAt, known units inside the key's scope, a dossier of another unit only inside the scope) and stored as one log row " +
  'with the id `record:<dossierId>`, so sending the same file again changes nothing (duplicates); another record for a dossier already stored is a conflict. ' +
  `Bad lines never hold back good ones: the answer counts every outcome and lists the first ${MAX_IMPORT_ERRORS_LISTED} rejected or conflicting lines with their line numbers ` +
  '(the CSV header is line 1). The answer is sent once the imported records are durably stored; the figures include them shortly after. ' +
  'An interrupted upload loses nothing stored: send the file again.';

const CSV_EXAMPLE =
  'dossierId,communeCode,procedureCode,sector,channel,fullOnlineEligible,resultRequired,feeRequired,receivedAt,dueAt,digitizedAt,completedAt,outcome,resultIssuedAt,resultElectronic\n' +
  'H01.00004-240105-0123,00004,1.001193,Hộ tịch,online,true,true,false,2024-01-05T08:30:00+07:00,2024-01-08T17:00:00+07:00,2024-01-05T09:10:00+07:00,2024-01-07T15:00:00+07:00,resolved,2024-01-07T15:00:00+07:00,true\n';

const NDJSON_EXAMPLE =
  '{"dossierId":"H01.00004-240105-0124","communeCode":"00004","procedureCode":"1.001193","sector":"Hộ tịch","channel":"direct","fullOnlineEligible":false,"resultRequired":true,"feeRequired":true,"receivedAt":"2024-01-05T09:00:00+07:00","dueAt":"2024-01-08T17:00:00+07:00","supplementCount":1,"supplementRequestedAt1":"2024-01-06T10:00:00+07:00","paidAt":"2024-01-05T09:05:00+07:00","paidOnline":false}\n';

export const IMPORT_REQUEST_BODY = {
  required: true,
  description: 'The file: CSV with a header, or NDJSON (each line one record as in the schema)',
  content: {
    'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    'application/x-ndjson': { schema: { ...DOSSIER_RECORD_JSON_SCHEMA, description: 'One line of the body (one record)' }, example: NDJSON_EXAMPLE },
  },
};

export const IMPORT_RESPONSE_EXAMPLE = {
  records: 3,
  imported: 1,
  duplicates: 1,
  conflicts: 0,
  rejected: 1,
  seconds: 0.042,
  errors: [{ line: 3, dossierId: 'H01.00004-240105-0125', status: 'rejected', reason: 'completedAt is in the future (more than 2 minutes ahead of the server clock)' }],
  errorsTruncated: false,
};
