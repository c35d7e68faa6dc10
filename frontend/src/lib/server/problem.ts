/**
 * What the API says went wrong (RFC 9457 problem+json), reduced to what a
 * person reads: a sentence, and per-field reasons for forms. Raw JSON never
 * reaches a page.
 */
export interface Problem {
  status: number;
  title: string;
  /** A sentence for the person: what happened and what to do. */
  message: string;
  /** Machine code where the API gives one (card_declined, INVALID_ORIGIN ...). */
  code?: string;
  type?: string;
  /** Field path (without the "body." / "query." prefix) → reason. */
  fields: Record<string, string>;
  /** Any other members of the problem (e.g. `available` on a 409). */
  extra: Record<string, unknown>;
}

const statusMessages: Record<number, string> = {
  400: 'Something in the request was not right.',
  401: 'Please sign in to continue.',
  403: 'You are not allowed to do that.',
  404: 'We could not find that.',
  409: 'That conflicts with the current state; reload and try again.',
  410: 'That is no longer available.',
  413: 'That is too large.',
  415: 'That kind of file is not accepted.',
  422: 'Some details need fixing.',
  429: 'Too many attempts: wait a moment and try again.',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The problem an API answer carries, whatever shape it came in (problem+json, Better-Auth's {message, code}, or nothing). */
export function toProblem(status: number, body: unknown): Problem {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  if (Array.isArray(raw.errors)) {
    for (const item of raw.errors as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { name, reason } = item as { name?: unknown; reason?: unknown };
      const field = text(name)?.replace(/^(body|query|params|path)\./, '');
      // Own keys: a field named `constructor` or `toString` is not already there.
      if (field && text(reason) && !Object.hasOwn(fields, field)) fields[field] = text(reason)!;
    }
  }
  const { type, title, status: _status, detail, message, code, errors: _errors, instance: _instance, ...extra } = raw;
  const generic = statusMessages[status] ?? (status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : 'The request could not be completed.');
  // The API's own sentence for invalid input points developers at `errors`; a person reads the reasons.
  const detailText = text(detail);
  const pointsAtErrors = detailText?.includes('`errors`') && Object.keys(fields).length > 0;
  return {
    status,
    title: text(title) ?? generic,
    message: (pointsAtErrors ? Object.values(fields).join(' ') : detailText) ?? text(message) ?? generic,
    code: text(code),
    type: text(type),
    fields,
    extra,
  };
}

export function unavailableProblem(): Problem {
  return { status: 503, title: 'Service unavailable', message: 'twenny cannot be reached right now. Please try again in a moment.', fields: {}, extra: {} };
}
