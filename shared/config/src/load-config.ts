import type { z } from 'zod';

/** Raised when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  readonly variables: string[];
  constructor(message: string, variables: string[]) {
    super(message);
    this.name = 'ConfigError';
    this.variables = variables;
  }
}

/**
 * Parses the environment once, at start-up. Values are never echoed back in the
 * error: a malformed DATABASE_URL may still hold a password.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const missing = issue.path.length === 1 && source[String(issue.path[0])] === undefined;
    return { name, text: missing ? `${name} is required but not set` : `${name} is invalid: ${issue.message}` };
  });
  const variables = [...new Set(problems.map((p) => p.name))];
  throw new ConfigError(`invalid configuration: ${problems.map((p) => p.text).join('; ')}`, variables);
}

/**
 * Entry points call this: on bad configuration it prints one line naming the
 * variable(s) and exits non-zero, before anything connects anywhere.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  service: string,
  schema: S,
  source: Record<string, string | undefined> = process.env,
): z.output<S> {
  try {
    return loadConfig(schema, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}
