import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { HttpProblem, type FieldError } from './problem.ts';

type Part = 'body' | 'query' | 'params';

function fieldName(part: Part, path: PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`),
    part,
  );
}

function check(schema: z.ZodType, value: unknown, part: Part): { data: unknown; errors: FieldError[] } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, errors: [] };
  return {
    data: undefined,
    errors: result.error.issues.map((issue) => ({ name: fieldName(part, issue.path), reason: issue.message })),
  };
}

function fail(errors: FieldError[], missingBody: boolean): never {
  if (missingBody) throw HttpProblem.validation(errors, 'This request needs a JSON body (Content-Type: application/json).');
  throw HttpProblem.validation(errors);
}

/** Parses one part of a request, or throws a 400 that names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, part: Part): z.output<S> {
  const { data, errors } = check(schema, value, part);
  if (errors.length > 0) fail(errors, part === 'body' && value === undefined);
  return data as z.output<S>;
}

interface Schemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

type Parsed<S extends Schemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/**
 * Wraps a route handler so it receives parsed, typed input; bad input never
 * reaches it. (Express 5 makes req.query read-only, so input is passed, not patched in.)
 */
export function validated<S extends Schemas>(
  schemas: S,
  handler: (input: Parsed<S>, req: Request, res: Response, next: NextFunction) => unknown,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const input: Record<string, unknown> = {};
    const errors: FieldError[] = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = check(schema, req[part], part);
      input[part] = result.data;
      errors.push(...result.errors);
    }
    if (errors.length > 0) fail(errors, schemas.body !== undefined && req.body === undefined);
    return handler(input as Parsed<S>, req, res, next);
  };
}
