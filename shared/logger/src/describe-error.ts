/**
 * A one-line account of an error fit to store or show (dead-letter headers, problem
 * details): the database's own code and message when a query failed, never the
 * query's parameters, which may hold personal data.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (error.message.startsWith('Failed query:')) {
    return cause && typeof cause.message === 'string' ? `database error${typeof cause.code === 'string' ? ` ${cause.code}` : ''}: ${cause.message}` : 'database error';
  }
  return `${error.name}: ${error.message}`;
}
