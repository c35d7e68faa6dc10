import { HttpProblem, problemTypes } from '@twenny/http-kit';

const bearerHeader = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 syntax); undefined for anything else. */
export function bearerToken(authorization: string): string | undefined {
  return bearerHeader.exec(authorization)?.[1];
}

const realm = 'Bearer realm="twenny"';

/**
 * 401 with the RFC 6750 challenge. With no credentials at all the challenge
 * carries no error code (the RFC asks for none); with bad ones it says which.
 */
export function unauthorized(detail: string, error?: 'invalid_request' | 'invalid_token'): HttpProblem {
  return new HttpProblem(
    { type: problemTypes.unauthorized, title: 'Unauthorized', status: 401, detail },
    { 'www-authenticate': error ? `${realm}, error="${error}"` : realm },
  );
}
