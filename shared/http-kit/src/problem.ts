/** RFC 9457 problem details. `type` values are stable: clients may switch on them. */
export const problemTypes = {
  validation: 'https://twenny.dev/problems/validation',
  malformedBody: 'https://twenny.dev/problems/malformed-body',
  malformedRequest: 'https://twenny.dev/problems/malformed-request',
  payloadTooLarge: 'https://twenny.dev/problems/payload-too-large',
  unsupportedMediaType: 'https://twenny.dev/problems/unsupported-media-type',
  notFound: 'https://twenny.dev/problems/not-found',
  methodNotAllowed: 'https://twenny.dev/problems/method-not-allowed',
  unauthorized: 'https://twenny.dev/problems/unauthorized',
  forbidden: 'https://twenny.dev/problems/forbidden',
  conflict: 'https://twenny.dev/problems/conflict',
  unavailable: 'https://twenny.dev/problems/unavailable',
  rateLimited: 'https://twenny.dev/problems/rate-limited',
  internal: 'https://twenny.dev/problems/internal',
} as const;

export interface FieldError {
  /** Where the bad value is, e.g. `body.items[0].quantity` or `query.limit`. */
  name: string;
  reason: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  readonly body: ProblemBody;
  readonly headers: Record<string, string>;

  constructor(body: ProblemBody, headers: Record<string, string> = {}) {
    super(body.detail ?? body.title);
    this.name = 'HttpProblem';
    this.body = body;
    this.headers = headers;
  }

  get status() {
    return this.body.status;
  }

  static validation(errors: FieldError[], detail = 'Some input is not valid; see `errors` for what to fix.') {
    return new HttpProblem({ type: problemTypes.validation, title: 'Invalid input', status: 400, detail, errors });
  }

  static notFound(detail: string) {
    return new HttpProblem({ type: problemTypes.notFound, title: 'Not found', status: 404, detail });
  }

  static unauthorized(detail = 'Sign in, or send a valid bearer token.') {
    return new HttpProblem({ type: problemTypes.unauthorized, title: 'Unauthorized', status: 401, detail });
  }

  static forbidden(detail: string) {
    return new HttpProblem({ type: problemTypes.forbidden, title: 'Forbidden', status: 403, detail });
  }

  /** 429 with Retry-After, in whole seconds (at least 1). */
  static tooManyRequests(detail: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new HttpProblem({ type: problemTypes.rateLimited, title: 'Too many requests', status: 429, detail, retryAfter: seconds }, { 'retry-after': String(seconds) });
  }

  static conflict(detail: string, extensions: Record<string, unknown> = {}) {
    return new HttpProblem({ type: problemTypes.conflict, title: 'Conflict', status: 409, detail, ...extensions });
  }
}
