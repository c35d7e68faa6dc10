import { createAuthClient } from 'better-auth/client';
import { adminClient, jwtClient, organizationClient } from 'better-auth/client/plugins';
import { createCookieFetch } from '@twenny/testing';

/** The site's origin: Better-Auth's base URL and trusted origin in tests, as locally. */
export const siteOrigin = 'http://localhost:3000';

/**
 * Better-Auth's own client library, as an app would use it, against `apiUrl`
 * (a service or the gateway), with a cookie jar standing in for the browser.
 */
export function authClient(apiUrl: string) {
  const jar = createCookieFetch(siteOrigin);
  const api = createAuthClient({
    baseURL: `${apiUrl}/api/auth`,
    fetchOptions: { customFetchImpl: jar.fetch },
    plugins: [organizationClient(), adminClient(), jwtClient()],
  });
  return { api, jar };
}

export type AuthClient = ReturnType<typeof authClient>;

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}.${process.pid}.${Date.now()}.${counter}@example.com`;
}
