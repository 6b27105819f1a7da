// The OpenAPI 3.1 document of the API, built from the route table: every operation with its path,
// method, path parameters, request body (from its zod schema) and the error statuses it declares
// (from the one error catalogue). Nothing is written by hand, so it cannot drift from the code.
import { ApiError, Errors, serviceOfPath, type ErrorName } from '@kumo/contract';
import { z } from 'zod';
import type { Route } from './route.js';

const envelope = (result: object | undefined) => ({
  type: 'object',
  required: ['requestId'],
  properties: { requestId: { type: 'string' }, ...(result ? { result } : {}) },
});

const errorEnvelope = {
  type: 'object',
  required: ['requestId', 'error'],
  properties: {
    requestId: { type: 'string' },
    error: {
      type: 'object',
      required: ['code', 'status', 'message'],
      properties: { code: { type: 'integer' }, status: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

/** Errors every authenticated request can get, beside those a route declares. */
const COMMON: readonly ErrorName[] = ['unauthenticated', 'rateLimited', 'invalidParameter', 'internal'];

/** HTTP code and JD status of a catalogue error (its factories take only strings and numbers). */
function describeError(name: ErrorName): { code: number; status: string } {
  const make = Errors[name] as (...args: unknown[]) => ApiError;
  const e = make('x', 'x', 'x');
  return { code: e.code, status: e.status };
}

/** The document for `routes`. */
export function openApiDocument(routes: readonly Route[], version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const byCode = new Map<number, Set<string>>();
    for (const name of new Set([...COMMON, ...r.errors])) {
      const { code, status } = describeError(name);
      byCode.set(code, (byCode.get(code) ?? new Set()).add(status));
    }
    const responses: Record<string, object> = {
      '200': { description: 'OK', content: { 'application/json': { schema: envelope({ type: 'object' }) } } },
    };
    for (const [code, statuses] of [...byCode].sort((a, b) => a[0] - b[0])) {
      responses[String(code)] = {
        description: [...statuses].sort().join(', '),
        content: { 'application/json': { schema: errorEnvelope } },
      };
    }
    const service = r.path.startsWith('/admin/') ? 'admin' : serviceOfPath(r.path);
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operation,
      tags: [service],
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: z.toJSONSchema(r.body, { io: 'input' }) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kumo API (JD Cloud vm/vpc/disk v1 compatible)',
      version,
      description:
        "Requests are signed like JD Cloud's (JDCLOUD2-HMAC-SHA256 or JDCLOUD3-HMAC-SHA256 in Authorization, with x-jdcloud-date and x-jdcloud-nonce); the credential scope names the service.",
    },
    security: [{ jdcloudSignature: [] }],
    components: {
      securitySchemes: { jdcloudSignature: { type: 'apiKey', in: 'header', name: 'Authorization' } },
    },
    paths,
  };
}
