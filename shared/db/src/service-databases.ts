/**
 * Which Postgres schema and role each service owns. One database, one schema per
 * service; each role can use only its own schema.
 */
export interface ServiceDatabase {
  service: string;
  schema: string;
  role: string;
  /**
   * Extensions the service's migrations rely on, installed into its schema by
   * provisioning (a service role may not create them itself).
   */
  extensions?: readonly string[];
}

export const serviceDatabases: readonly ServiceDatabase[] = [
  { service: 'auth-service', schema: 'auth', role: 'twenny_auth' },
  // pg_trgm: typo-tolerant event search.
  { service: 'catalog-service', schema: 'catalog', role: 'twenny_catalog', extensions: ['pg_trgm'] },
  { service: 'order-service', schema: 'orders', role: 'twenny_orders' },
  { service: 'media-service', schema: 'media', role: 'twenny_media' },
];
