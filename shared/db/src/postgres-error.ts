/** What Postgres said when a statement failed (SQLSTATE, constraint, message). */
export interface PostgresError {
  code: string;
  constraint?: string;
  message: string;
}

/**
 * The Postgres error inside whatever a driver threw: Drizzle wraps postgres.js's
 * error in a DrizzleQueryError (the original is its `cause`). Undefined when the
 * failure did not come from Postgres.
 */
export function postgresError(error: unknown): PostgresError | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const candidate = current as { code?: unknown; constraint_name?: unknown; message?: unknown; severity?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && candidate.severity !== undefined) {
      return { code: candidate.code, constraint: typeof candidate.constraint_name === 'string' ? candidate.constraint_name : undefined, message: String(candidate.message ?? '') };
    }
  }
  return undefined;
}
