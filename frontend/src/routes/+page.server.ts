import type { PageServerLoad } from './$types';
import { gatewayUrl } from '#lib/server/gateway';

type PlatformHealth = { status: string; services: Record<string, { status: string }> };

/** The placeholder home page shows whether the platform behind the site is up. */
export const load: PageServerLoad = async ({ fetch }) => {
  try {
    const response = await fetch(`${gatewayUrl()}/health`, { signal: AbortSignal.timeout(2_000) });
    const health = (await response.json()) as PlatformHealth;
    return { health };
  } catch {
    return { health: null };
  }
};
