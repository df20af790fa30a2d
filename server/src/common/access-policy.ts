import { SetMetadata } from '@nestjs/common';

/**
 * Every route declares who may call it; the global AccessGuard (auth/) refuses a
 * route that declares nothing. Finer checks (which unit) happen where the unit is
 * known, through AccessService. The declaration lives here, below every module
 * with a controller; the guard that enforces it and the request's principal are auth's.
 * - `public`: anyone (health, sign-in, the sign-in page's options).
 * - `signed-in`: any signed-in account; the handler checks the unit.
 * - `admin`: administrators only.
 * - `ingest-key`: a source system's ingest key (X-Api-Key).
 */
export type AccessPolicy = 'public' | 'signed-in' | 'admin' | 'ingest-key';
export const ACCESS_METADATA = 'ioc:access';
export const Access = (policy: AccessPolicy) => SetMetadata(ACCESS_METADATA, policy);
