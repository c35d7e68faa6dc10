import { routeExample, routeExampleMethod, type RouteEntry } from '../../src/routes/route-table.ts';

export const exampleOf = routeExample;
export const exampleMethod = routeExampleMethod;
/** How a test names the entry. */
export const routeName = (entry: RouteEntry) => `${entry.methods === 'ALL' ? 'ALL' : entry.methods.join('|')} ${entry.path}`;
