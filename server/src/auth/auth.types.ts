import type { Principal, UnitRef } from '@ioc/shared';

/** A signed-in account, with the sign-in session its token belongs to. */
export interface AuthedPrincipal extends Principal {
  sessionId: string;
}

/** A source system, known by its ingest key. */
export interface IngestSource {
  keyId: string;
  name: string;
  scope: UnitRef;
}

export interface Client {
  ip: string | null;
  userAgent: string | null;
}
