import { z } from 'zod';

/**
 * Who may call an endpoint (the server's `@Access(...)`):
 * - `public`: anyone;
 * - `signed-in`: any signed-in account (the handler checks the unit);
 * - `admin`: administrators only;
 * - `ingest-key`: a source system's ingest key (X-Api-Key).
 */
export const ENDPOINT_ACCESS = ['public', 'signed-in', 'admin', 'ingest-key'] as const;
export type EndpointAccess = (typeof ENDPOINT_ACCESS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What an endpoint answers on success. */
export interface EndpointResponse {
  /** The HTTP status of a success. */
  status: number;
  /** The TypeScript type of the answer in shared (`void` for no body), or the media type of a file or text answer. */
  type: string;
  /** What the answer holds, in short. */
  description: string;
  /** The answer as a zod schema, where it is simple enough to state. */
  schema?: z.ZodType;
}

/** One HTTP endpoint of the server. */
export interface Endpoint {
  method: HttpMethod;
  /** The path as Nest and Express write it, with the global prefix and version, e.g. `/api/v1/alerts/:id`. */
  path: string;
  access: EndpointAccess;
  /** The query parameters it takes (every one a string in the URL); absent when it takes none. */
  query?: z.ZodObject;
  /** The JSON body it takes; absent when it takes none (or a body that is not JSON, see the route's documentation). */
  body?: z.ZodType;
  response: EndpointResponse;
}

/** The names of the query parameters of a schema, in the order they are declared. */
export function queryNames<S extends z.ZodRawShape>(schema: z.ZodObject<S>): (keyof S & string)[] {
  return Object.keys(schema.shape).filter((k): k is keyof S & string => k in schema.shape);
}

/** An optional query parameter: text, with its meaning (and an example) for the OpenAPI document. */
export function queryParam(description: string, example?: string): z.ZodOptional<z.ZodString> {
  return z
    .string()
    .meta({ description, ...(example === undefined ? {} : { example }) })
    .optional();
}

/** An optional query parameter that takes one of `values`. */
export function queryEnum<const V extends readonly [string, ...string[]]>(values: V, description?: string): z.ZodOptional<z.ZodEnum<{ [K in V[number]]: K }>> {
  return z
    .enum(values)
    .meta(description === undefined ? {} : { description })
    .optional();
}

/** The JSON Schema (OpenAPI 3.0 dialect) of a request body or query as clients send it: the form the OpenAPI document shows. */
export function inputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' });
}

/** The JSON Schema (OpenAPI 3.0 dialect) of an answer as the server sends it. */
export function outputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0', unrepresentable: 'any' });
}

/** The Express path of an endpoint in the OpenAPI form: `/api/v1/alerts/:id` → `/api/v1/alerts/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
