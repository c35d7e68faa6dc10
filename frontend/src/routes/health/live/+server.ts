import { json } from '@sveltejs/kit';

/** Liveness for the start script, compose and Kubernetes: the site's process answers. */
export function GET() {
  return json({ status: 'live' }, { headers: { 'cache-control': 'no-store' } });
}
