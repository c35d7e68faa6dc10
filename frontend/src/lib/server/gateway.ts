import { GATEWAY_URL } from '$app/env/private';

/** Where the site's server reaches the API gateway (server-side only). */
export function gatewayUrl(): string {
  return GATEWAY_URL;
}
