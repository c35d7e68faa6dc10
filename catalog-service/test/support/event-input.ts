import { randomUUID } from 'node:crypto';

/** A valid event to create, a year from now in Amsterdam; `overrides` change any field. */
export function eventInput(organizationId: string, overrides: Record<string, unknown> = {}) {
  const year = new Date().getUTCFullYear() + 1;
  return {
    organizationId,
    title: 'Amsterdam Jazz Night',
    description: 'An evening of modern jazz by the canals.',
    category: 'music',
    tags: ['jazz', 'live'],
    venue: { name: 'Bimhuis', address: 'Piet Heinkade 3', city: 'Amsterdam', country: 'NL', latitude: 52.378, longitude: 4.913, timeZone: 'Europe/Amsterdam' },
    startsAt: `${year}-03-12T20:00`,
    endsAt: `${year}-03-12T23:30`,
    currency: 'EUR',
    refundPolicy: { refundable: true, untilHoursBeforeStart: 48 },
    ticketTypes: [
      { name: 'Standing', priceMinor: 3500, capacity: 300 },
      { name: 'Balcony', priceMinor: 5500, capacity: 80, maxPerOrder: 4 },
    ],
    ...overrides,
  };
}

export const organization = () => randomUUID();
