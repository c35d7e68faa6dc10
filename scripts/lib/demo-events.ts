/**
 * The small, pleasant set of events `npm start` shows: created and published by
 * the demo organiser through the gateway, as an organiser would (so every message
 * goes out on the bus). Skipped when the demo team already has events.
 */
import { demoAccounts } from '../../auth-service/src/seed/demo-accounts.ts';
import { demoSession } from './demo-session.ts';

const venues = {
  amsterdam: { name: 'Paradiso', address: 'Weteringschans 6-8', city: 'Amsterdam', country: 'NL', latitude: 52.3622, longitude: 4.8838, timeZone: 'Europe/Amsterdam' },
  berlin: { name: 'Tempodrom', address: 'Möckernstraße 10', city: 'Berlin', country: 'DE', latitude: 52.5003, longitude: 13.3794, timeZone: 'Europe/Berlin' },
  lisbon: { name: 'Coliseu dos Recreios', address: 'R. das Portas de Santo Antão 96', city: 'Lisbon', country: 'PT', latitude: 38.7155, longitude: -9.1405, timeZone: 'Europe/Lisbon' },
  london: { name: 'Union Chapel', address: '19b Compton Terrace', city: 'London', country: 'GB', latitude: 51.5443, longitude: -0.1028, timeZone: 'Europe/London' },
  newYork: { name: 'Bowery Ballroom', address: '6 Delancey St', city: 'New York', country: 'US', latitude: 40.7204, longitude: -73.9934, timeZone: 'America/New_York' },
} as const;

const currencyOf = { amsterdam: 'EUR', berlin: 'EUR', lisbon: 'EUR', london: 'GBP', newYork: 'USD' } as const;

type Demo = { title: string; category: string; tags: string[]; venue: keyof typeof venues; inDays: number; at: string; hours: number; description: string; tickets: Array<{ name: string; priceMinor: number; capacity: number }> };

const demos: Demo[] = [
  { title: 'Canal Jazz Night', category: 'music', tags: ['jazz', 'live'], venue: 'amsterdam', inDays: 9, at: '20:30', hours: 3, description: 'A quintet, a packed hall and the best acoustics in town.', tickets: [{ name: 'Standing', priceMinor: 3200, capacity: 600 }, { name: 'Balcony', priceMinor: 4800, capacity: 120 }] },
  { title: 'Techno Warehouse Sessions', category: 'nightlife', tags: ['techno', 'club'], venue: 'berlin', inDays: 12, at: '23:00', hours: 7, description: 'All night, four resident DJs, one warehouse.', tickets: [{ name: 'Early bird', priceMinor: 1800, capacity: 300 }, { name: 'Regular', priceMinor: 2500, capacity: 1200 }] },
  { title: 'Fado by Candlelight', category: 'music', tags: ['fado', 'acoustic'], venue: 'lisbon', inDays: 15, at: '21:00', hours: 2, description: 'Two voices and a Portuguese guitar, candles all around.', tickets: [{ name: 'Seated', priceMinor: 2800, capacity: 400 }] },
  { title: 'Stand-up Comedy Showcase', category: 'comedy', tags: ['stand-up', 'english'], venue: 'london', inDays: 6, at: '19:30', hours: 2, description: 'Five comedians, ten minutes each, no safety net.', tickets: [{ name: 'General admission', priceMinor: 1500, capacity: 250 }] },
  { title: 'Indie Rock Weekender', category: 'festivals', tags: ['indie', 'rock'], venue: 'newYork', inDays: 30, at: '18:00', hours: 6, description: 'Eight bands over one long evening on the Lower East Side.', tickets: [{ name: 'Day ticket', priceMinor: 6500, capacity: 500 }, { name: 'VIP', priceMinor: 12000, capacity: 40 }] },
  { title: 'Community Open Mic', category: 'community', tags: ['open-mic', 'free'], venue: 'amsterdam', inDays: 4, at: '19:00', hours: 3, description: 'Bring a song, a poem or just yourself. Free entry.', tickets: [{ name: 'Free entry', priceMinor: 0, capacity: 150 }] },
  { title: 'Sourdough Baking Workshop', category: 'workshops', tags: ['baking', 'hands-on'], venue: 'berlin', inDays: 20, at: '10:00', hours: 4, description: 'Learn to keep a starter and bake a proper loaf.', tickets: [{ name: 'Workshop seat', priceMinor: 7500, capacity: 16 }] },
  { title: 'Web Platform Conference', category: 'conferences', tags: ['web', 'javascript'], venue: 'lisbon', inDays: 45, at: '09:00', hours: 9, description: 'Two tracks on the web platform, from the people building it.', tickets: [{ name: 'Conference pass', priceMinor: 29900, capacity: 800 }, { name: 'Student', priceMinor: 9900, capacity: 100 }] },
  { title: 'Family Science Afternoon', category: 'family', tags: ['kids', 'science'], venue: 'london', inDays: 11, at: '14:00', hours: 3, description: 'Experiments, explosions (safe ones) and ice cream.', tickets: [{ name: 'Adult', priceMinor: 1200, capacity: 200 }, { name: 'Child', priceMinor: 600, capacity: 200 }] },
  { title: 'Silent Film with Live Orchestra', category: 'film', tags: ['cinema', 'orchestra'], venue: 'amsterdam', inDays: 25, at: '20:00', hours: 2, description: 'A 1927 classic, scored live by a chamber orchestra.', tickets: [{ name: 'Seated', priceMinor: 2400, capacity: 500 }] },
];

/** A date `days` from now at `time`, as wall-clock time (the venue's zone applies). */
function wallClock(days: number, time: string, plusHours = 0): string {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(hours + plusHours, minutes, 0, 0);
  return date.toISOString().slice(0, 16);
}

export async function seedDemoEvents(gatewayUrl: string): Promise<number> {
  const call = await demoSession(gatewayUrl, demoAccounts.organiser, 'organiser');
  const me = (await (await call('GET', '/api/me')).json()) as { orgs: Array<{ id: string }> };
  const organizationId = me.orgs[0]?.id;
  if (!organizationId) throw new Error('the demo organiser has no team');
  const existing = (await (await call('GET', `/api/organizations/${organizationId}/events?limit=1`)).json()) as { items: unknown[] };
  if (existing.items.length > 0) return 0;
  for (const demo of demos) {
    const created = await call('POST', '/api/events', {
      organizationId,
      title: demo.title,
      description: demo.description,
      category: demo.category,
      tags: demo.tags,
      venue: venues[demo.venue],
      startsAt: wallClock(demo.inDays, demo.at),
      endsAt: wallClock(demo.inDays, demo.at, demo.hours),
      currency: currencyOf[demo.venue],
      refundPolicy: { refundable: true, untilHoursBeforeStart: 48 },
      ticketTypes: demo.tickets,
    });
    if (created.status !== 201) throw new Error(`creating "${demo.title}" answered ${created.status}: ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    const published = await call('POST', `/api/events/${id}/publish`);
    if (!published.ok) throw new Error(`publishing "${demo.title}" answered ${published.status}`);
  }
  return demos.length;
}
