/**
 * Which Postgres schema and role each service owns. One database, one schema per
 * service; each role can use only its own schema.
 */
export interface ServiceDatabase {
  service: string;
  schema: string;
  role: string;
}

export const serviceDatabases: readonly ServiceDatabase[] = [
  { service: 'auth-service', schema: 'auth', role: 'twenny_auth' },
  { service: 'catalog-service', schema: 'catalog', role: 'twenny_catalog' },
  { service: 'order-service', schema: 'orders', role: 'twenny_orders' },
  { service: 'media-service', schema: 'media', role: 'twenny_media' },
];
