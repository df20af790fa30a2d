import {
  ApiBody,
  type ExamplesObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { ENDPOINTS, type NamedEndpoint, inputJsonSchema, openApiPath, outputJsonSchema } from '@ioc/shared';
import type { z } from 'zod';

/**
 * The OpenAPI document with the contract table (shared/src/contract) merged in: each operation's query
 * parameters and JSON request body come from the table's zod schemas, and a success answer the decorators
 * leave without a schema gets the table's. What the decorators say stays where the table says nothing
 * (a parameter's description or example, the examples of a body).
 */
export function withContract(doc: OpenAPIObject, endpoints: readonly NamedEndpoint[] = ENDPOINTS): OpenAPIObject {
  for (const e of endpoints) {
    const op = operationOf(doc, e);
    if (!op) continue; // outside the document (GET /metrics)
    if (e.query) op.parameters = withQuery(op.parameters ?? [], e.query);
    if (e.body) op.requestBody = withBody(op.requestBody, e.body);
    const schema = e.response.schema;
    if (schema) {
      const status = String(e.response.status);
      const answer = op.responses[status];
      if (answer === undefined || !('$ref' in answer)) op.responses[status] = withAnswer(answer, e.response.description, schema);
    }
  }
  return doc;
}

/** `@ApiBody` of an endpoint of the table: the body's schema from the table, with examples. */
export function ApiContractBody(e: { body: z.ZodType }, examples: ExamplesObject): MethodDecorator {
  return ApiBody({ schema: inputJsonSchema(e.body), examples });
}

/** The operation of an endpoint in the document, if it is there. */
export function operationOf(doc: OpenAPIObject, e: { method: string; path: string }): OperationObject | undefined {
  const item = doc.paths[openApiPath(e.path)];
  switch (e.method) {
    case 'GET':
      return item?.get;
    case 'POST':
      return item?.post;
    case 'PUT':
      return item?.put;
    case 'PATCH':
      return item?.patch;
    case 'DELETE':
      return item?.delete;
    default:
      return undefined;
  }
}

/** The request body's JSON schema as the document shows it for an endpoint of the table. */
export function requestBodySchemaOf(doc: OpenAPIObject, e: { method: string; path: string }): unknown {
  const body = operationOf(doc, e)?.requestBody;
  return body && !('$ref' in body) ? body.content['application/json']?.schema : undefined;
}

/** Path and header parameters as they are, then the table's query parameters in its order. */
function withQuery(params: (ParameterObject | ReferenceObject)[], query: z.ZodObject): (ParameterObject | ReferenceObject)[] {
  const json = inputJsonSchema(query);
  const properties = (json.properties ?? {}) as Record<string, SchemaObject>;
  const required = new Set(Array.isArray(json.required) ? json.required : []);
  const isQuery = (p: ParameterObject | ReferenceObject): p is ParameterObject => !('$ref' in p) && p.in === 'query';
  const declared = new Map(params.filter(isQuery).map((p) => [p.name, p]));
  const fromTable = Object.entries(properties).map(([name, { description, example, ...schema }]): ParameterObject => {
    const said = declared.get(name);
    const merged: ParameterObject = { ...said, name, in: 'query', required: required.has(name), schema };
    const text = description ?? said?.description;
    if (text !== undefined) merged.description = text;
    const sample: unknown = example ?? said?.example;
    if (sample !== undefined) merged.example = sample;
    return merged;
  });
  return [...params.filter((p) => !isQuery(p)), ...fromTable];
}

/** The request body with the table's JSON schema, keeping the decorators' examples and description. */
function withBody(body: RequestBodyObject | ReferenceObject | undefined, schema: z.ZodType): RequestBodyObject {
  const said = body && !('$ref' in body) ? body : undefined;
  const json = said?.content['application/json'];
  return { ...said, required: said?.required ?? true, content: { ...said?.content, 'application/json': { ...json, schema: inputJsonSchema(schema) } } };
}

/** A success answer with the table's schema, unless the decorators gave it one. */
function withAnswer(answer: ResponseObject | undefined, description: string, schema: z.ZodType): ResponseObject {
  if (answer?.content?.['application/json']?.schema) return answer;
  return {
    ...answer,
    description: answer?.description || description,
    content: { ...answer?.content, 'application/json': { ...answer?.content?.['application/json'], schema: outputJsonSchema(schema) } },
  };
}
