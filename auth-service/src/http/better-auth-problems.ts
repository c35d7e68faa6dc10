import { STATUS_CODES } from 'node:http';
import { problemTypes } from '@twenny/http-kit';

// Better-Auth's error bodies are `{ code, message }`; larger JSON is not one of them.
const largestErrorBody = 16 * 1024;

const typeByStatus: Record<number, string> = {
  400: problemTypes.malformedRequest,
  401: problemTypes.unauthorized,
  403: problemTypes.forbidden,
  404: problemTypes.notFound,
  405: problemTypes.methodNotAllowed,
  409: problemTypes.conflict,
  413: problemTypes.payloadTooLarge,
  415: problemTypes.unsupportedMediaType,
  422: problemTypes.validation,
};

/**
 * Better-Auth's answers, with its errors as problem details like every other
 * twenny error. Its own `code` (stable, e.g. INVALID_EMAIL_OR_PASSWORD) and
 * `message` stay in the body as extensions: Better-Auth's client reads them.
 * Its 429 names the wait only in X-Retry-After: it gets the standard Retry-After.
 * A 5xx says nothing of what went wrong inside.
 */
export async function withProblemBodies(response: globalThis.Response): Promise<globalThis.Response> {
  if (response.status === 429) return rateLimited(response);
  if (response.status < 400) return response;
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/problem+json');
  headers.delete('content-length');
  if (response.status >= 500) {
    await response.body?.cancel();
    const body = { type: problemTypes.internal, title: 'Internal error', status: response.status, detail: 'Something went wrong on our side; try again later.' };
    return new Response(JSON.stringify(body), { status: response.status, headers });
  }
  const error = await errorBody(response);
  const title = STATUS_CODES[response.status] ?? 'Request refused';
  const body = {
    type: typeByStatus[response.status] ?? problemTypes.malformedRequest,
    title,
    status: response.status,
    detail: sentence(error?.message) ?? `${title}.`,
    ...(error?.code ? { code: error.code } : {}),
    ...(error?.message ? { message: error.message } : {}),
  };
  return new Response(JSON.stringify(body), { status: response.status, headers });
}

async function errorBody(response: globalThis.Response): Promise<{ code?: string; message?: string } | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (!response.headers.get('content-type')?.includes('json') || declared > largestErrorBody) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const text = await response.text();
    if (text.length > largestErrorBody) return undefined;
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      code: typeof parsed.code === 'string' ? parsed.code : undefined,
      message: typeof parsed.message === 'string' ? parsed.message : undefined,
    };
  } catch {
    return undefined;
  }
}

/** "Invalid email or password" → "Invalid email or password." */
function sentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function rateLimited(response: globalThis.Response): globalThis.Response {
  const seconds = Math.max(1, Number(response.headers.get('x-retry-after')) || 60);
  const headers = new Headers(response.headers);
  headers.set('retry-after', String(seconds));
  headers.set('content-type', 'application/problem+json');
  headers.delete('content-length');
  const body = { type: problemTypes.rateLimited, title: 'Too many requests', status: 429, detail: `Too many requests from this address; try again in ${seconds} s.`, retryAfter: seconds };
  return new Response(JSON.stringify(body), { status: 429, headers });
}
