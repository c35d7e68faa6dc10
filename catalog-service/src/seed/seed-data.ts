/**
 * The realistic raw material of `npm run seed:huge`: real cities with their
 * country, time zone, position and currency; parts of venue names and
 * addresses; per category the words titles are made of, tags, ticket types,
 * prices and typical times. Only data: huge-seed.ts combines it.
 */
import type { CategorySlug } from '../domain/categories.ts';

export interface City {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** IANA time zone. */
  timeZone: string;
  latitude: number;
  longitude: number;
  /** ISO 4217. */
  currency: string;
  /** Relative size of the city's event scene: its share of organisers. */
  weight: number;
}

export const cities: readonly City[] = [
  // Europe
  { name: 'Amsterdam', country: 'NL', timeZone: 'Europe/Amsterdam', latitude: 52.3676, longitude: 4.9041, currency: 'EUR', weight: 6 },
  { name: 'Rotterdam', country: 'NL', timeZone: 'Europe/Amsterdam', latitude: 51.9244, longitude: 4.4777, currency: 'EUR', weight: 3 },
  { name: 'Utrecht', country: 'NL', timeZone: 'Europe/Amsterdam', latitude: 52.0907, longitude: 5.1214, currency: 'EUR', weight: 2 },
  { name: 'Berlin', country: 'DE', timeZone: 'Europe/Berlin', latitude: 52.52, longitude: 13.405, currency: 'EUR', weight: 8 },
  { name: 'Hamburg', country: 'DE', timeZone: 'Europe/Berlin', latitude: 53.5511, longitude: 9.9937, currency: 'EUR', weight: 4 },
  { name: 'München', country: 'DE', timeZone: 'Europe/Berlin', latitude: 48.1351, longitude: 11.582, currency: 'EUR', weight: 4 },
  { name: 'Köln', country: 'DE', timeZone: 'Europe/Berlin', latitude: 50.9375, longitude: 6.9603, currency: 'EUR', weight: 3 },
  { name: 'Paris', country: 'FR', timeZone: 'Europe/Paris', latitude: 48.8566, longitude: 2.3522, currency: 'EUR', weight: 8 },
  { name: 'Lyon', country: 'FR', timeZone: 'Europe/Paris', latitude: 45.764, longitude: 4.8357, currency: 'EUR', weight: 3 },
  { name: 'Marseille', country: 'FR', timeZone: 'Europe/Paris', latitude: 43.2965, longitude: 5.3698, currency: 'EUR', weight: 2 },
  { name: 'London', country: 'GB', timeZone: 'Europe/London', latitude: 51.5074, longitude: -0.1278, currency: 'GBP', weight: 10 },
  { name: 'Manchester', country: 'GB', timeZone: 'Europe/London', latitude: 53.4808, longitude: -2.2426, currency: 'GBP', weight: 4 },
  { name: 'Glasgow', country: 'GB', timeZone: 'Europe/London', latitude: 55.8642, longitude: -4.2518, currency: 'GBP', weight: 3 },
  { name: 'Dublin', country: 'IE', timeZone: 'Europe/Dublin', latitude: 53.3498, longitude: -6.2603, currency: 'EUR', weight: 4 },
  { name: 'Brussels', country: 'BE', timeZone: 'Europe/Brussels', latitude: 50.8503, longitude: 4.3517, currency: 'EUR', weight: 3 },
  { name: 'Antwerp', country: 'BE', timeZone: 'Europe/Brussels', latitude: 51.2194, longitude: 4.4025, currency: 'EUR', weight: 2 },
  { name: 'Madrid', country: 'ES', timeZone: 'Europe/Madrid', latitude: 40.4168, longitude: -3.7038, currency: 'EUR', weight: 6 },
  { name: 'Barcelona', country: 'ES', timeZone: 'Europe/Madrid', latitude: 41.3874, longitude: 2.1686, currency: 'EUR', weight: 6 },
  { name: 'Valencia', country: 'ES', timeZone: 'Europe/Madrid', latitude: 39.4699, longitude: -0.3763, currency: 'EUR', weight: 2 },
  { name: 'Lisbon', country: 'PT', timeZone: 'Europe/Lisbon', latitude: 38.7223, longitude: -9.1393, currency: 'EUR', weight: 4 },
  { name: 'Porto', country: 'PT', timeZone: 'Europe/Lisbon', latitude: 41.1579, longitude: -8.6291, currency: 'EUR', weight: 2 },
  { name: 'Rome', country: 'IT', timeZone: 'Europe/Rome', latitude: 41.9028, longitude: 12.4964, currency: 'EUR', weight: 5 },
  { name: 'Milan', country: 'IT', timeZone: 'Europe/Rome', latitude: 45.4642, longitude: 9.19, currency: 'EUR', weight: 5 },
  { name: 'Vienna', country: 'AT', timeZone: 'Europe/Vienna', latitude: 48.2082, longitude: 16.3738, currency: 'EUR', weight: 4 },
  { name: 'Zürich', country: 'CH', timeZone: 'Europe/Zurich', latitude: 47.3769, longitude: 8.5417, currency: 'CHF', weight: 3 },
  { name: 'Copenhagen', country: 'DK', timeZone: 'Europe/Copenhagen', latitude: 55.6761, longitude: 12.5683, currency: 'DKK', weight: 3 },
  { name: 'Stockholm', country: 'SE', timeZone: 'Europe/Stockholm', latitude: 59.3293, longitude: 18.0686, currency: 'SEK', weight: 3 },
  { name: 'Oslo', country: 'NO', timeZone: 'Europe/Oslo', latitude: 59.9139, longitude: 10.7522, currency: 'NOK', weight: 2 },
  { name: 'Helsinki', country: 'FI', timeZone: 'Europe/Helsinki', latitude: 60.1699, longitude: 24.9384, currency: 'EUR', weight: 2 },
  { name: 'Reykjavík', country: 'IS', timeZone: 'Atlantic/Reykjavik', latitude: 64.1466, longitude: -21.9426, currency: 'ISK', weight: 1 },
  { name: 'Warsaw', country: 'PL', timeZone: 'Europe/Warsaw', latitude: 52.2297, longitude: 21.0122, currency: 'PLN', weight: 3 },
  { name: 'Kraków', country: 'PL', timeZone: 'Europe/Warsaw', latitude: 50.0647, longitude: 19.945, currency: 'PLN', weight: 2 },
  { name: 'Prague', country: 'CZ', timeZone: 'Europe/Prague', latitude: 50.0755, longitude: 14.4378, currency: 'CZK', weight: 3 },
  { name: 'Budapest', country: 'HU', timeZone: 'Europe/Budapest', latitude: 47.4979, longitude: 19.0402, currency: 'HUF', weight: 3 },
  { name: 'Athens', country: 'GR', timeZone: 'Europe/Athens', latitude: 37.9838, longitude: 23.7275, currency: 'EUR', weight: 2 },
  { name: 'Istanbul', country: 'TR', timeZone: 'Europe/Istanbul', latitude: 41.0082, longitude: 28.9784, currency: 'TRY', weight: 4 },
  // The Americas
  { name: 'New York', country: 'US', timeZone: 'America/New_York', latitude: 40.7128, longitude: -74.006, currency: 'USD', weight: 10 },
  { name: 'Los Angeles', country: 'US', timeZone: 'America/Los_Angeles', latitude: 34.0522, longitude: -118.2437, currency: 'USD', weight: 7 },
  { name: 'Chicago', country: 'US', timeZone: 'America/Chicago', latitude: 41.8781, longitude: -87.6298, currency: 'USD', weight: 5 },
  { name: 'Austin', country: 'US', timeZone: 'America/Chicago', latitude: 30.2672, longitude: -97.7431, currency: 'USD', weight: 3 },
  { name: 'Nashville', country: 'US', timeZone: 'America/Chicago', latitude: 36.1627, longitude: -86.7816, currency: 'USD', weight: 2 },
  { name: 'New Orleans', country: 'US', timeZone: 'America/Chicago', latitude: 29.9511, longitude: -90.0715, currency: 'USD', weight: 2 },
  { name: 'San Francisco', country: 'US', timeZone: 'America/Los_Angeles', latitude: 37.7749, longitude: -122.4194, currency: 'USD', weight: 4 },
  { name: 'Seattle', country: 'US', timeZone: 'America/Los_Angeles', latitude: 47.6062, longitude: -122.3321, currency: 'USD', weight: 3 },
  { name: 'Denver', country: 'US', timeZone: 'America/Denver', latitude: 39.7392, longitude: -104.9903, currency: 'USD', weight: 2 },
  { name: 'Miami', country: 'US', timeZone: 'America/New_York', latitude: 25.7617, longitude: -80.1918, currency: 'USD', weight: 3 },
  { name: 'Toronto', country: 'CA', timeZone: 'America/Toronto', latitude: 43.6532, longitude: -79.3832, currency: 'CAD', weight: 5 },
  { name: 'Montréal', country: 'CA', timeZone: 'America/Toronto', latitude: 45.5017, longitude: -73.5673, currency: 'CAD', weight: 3 },
  { name: 'Vancouver', country: 'CA', timeZone: 'America/Vancouver', latitude: 49.2827, longitude: -123.1207, currency: 'CAD', weight: 3 },
  { name: 'Mexico City', country: 'MX', timeZone: 'America/Mexico_City', latitude: 19.4326, longitude: -99.1332, currency: 'MXN', weight: 5 },
  { name: 'São Paulo', country: 'BR', timeZone: 'America/Sao_Paulo', latitude: -23.5505, longitude: -46.6333, currency: 'BRL', weight: 6 },
  { name: 'Rio de Janeiro', country: 'BR', timeZone: 'America/Sao_Paulo', latitude: -22.9068, longitude: -43.1729, currency: 'BRL', weight: 3 },
  { name: 'Buenos Aires', country: 'AR', timeZone: 'America/Argentina/Buenos_Aires', latitude: -34.6037, longitude: -58.3816, currency: 'ARS', weight: 4 },
  { name: 'Santiago', country: 'CL', timeZone: 'America/Santiago', latitude: -33.4489, longitude: -70.6693, currency: 'CLP', weight: 2 },
  { name: 'Bogotá', country: 'CO', timeZone: 'America/Bogota', latitude: 4.711, longitude: -74.0721, currency: 'COP', weight: 3 },
  { name: 'Lima', country: 'PE', timeZone: 'America/Lima', latitude: -12.0464, longitude: -77.0428, currency: 'PEN', weight: 2 },
  // Africa and the Middle East
  { name: 'Cape Town', country: 'ZA', timeZone: 'Africa/Johannesburg', latitude: -33.9249, longitude: 18.4241, currency: 'ZAR', weight: 3 },
  { name: 'Johannesburg', country: 'ZA', timeZone: 'Africa/Johannesburg', latitude: -26.2041, longitude: 28.0473, currency: 'ZAR', weight: 2 },
  { name: 'Lagos', country: 'NG', timeZone: 'Africa/Lagos', latitude: 6.5244, longitude: 3.3792, currency: 'NGN', weight: 3 },
  { name: 'Nairobi', country: 'KE', timeZone: 'Africa/Nairobi', latitude: -1.2921, longitude: 36.8219, currency: 'KES', weight: 2 },
  { name: 'Marrakesh', country: 'MA', timeZone: 'Africa/Casablanca', latitude: 31.6295, longitude: -7.9811, currency: 'MAD', weight: 1 },
  { name: 'Cairo', country: 'EG', timeZone: 'Africa/Cairo', latitude: 30.0444, longitude: 31.2357, currency: 'EGP', weight: 2 },
  { name: 'Dubai', country: 'AE', timeZone: 'Asia/Dubai', latitude: 25.2048, longitude: 55.2708, currency: 'AED', weight: 3 },
  { name: 'Tel Aviv', country: 'IL', timeZone: 'Asia/Jerusalem', latitude: 32.0853, longitude: 34.7818, currency: 'ILS', weight: 2 },
  // Asia and the Pacific
  { name: 'Tokyo', country: 'JP', timeZone: 'Asia/Tokyo', latitude: 35.6762, longitude: 139.6503, currency: 'JPY', weight: 9 },
  { name: 'Osaka', country: 'JP', timeZone: 'Asia/Tokyo', latitude: 34.6937, longitude: 135.5023, currency: 'JPY', weight: 3 },
  { name: 'Seoul', country: 'KR', timeZone: 'Asia/Seoul', latitude: 37.5665, longitude: 126.978, currency: 'KRW', weight: 6 },
  { name: 'Taipei', country: 'TW', timeZone: 'Asia/Taipei', latitude: 25.033, longitude: 121.5654, currency: 'TWD', weight: 3 },
  { name: 'Hong Kong', country: 'HK', timeZone: 'Asia/Hong_Kong', latitude: 22.3193, longitude: 114.1694, currency: 'HKD', weight: 3 },
  { name: 'Singapore', country: 'SG', timeZone: 'Asia/Singapore', latitude: 1.3521, longitude: 103.8198, currency: 'SGD', weight: 4 },
  { name: 'Bangkok', country: 'TH', timeZone: 'Asia/Bangkok', latitude: 13.7563, longitude: 100.5018, currency: 'THB', weight: 4 },
  { name: 'Mumbai', country: 'IN', timeZone: 'Asia/Kolkata', latitude: 19.076, longitude: 72.8777, currency: 'INR', weight: 5 },
  { name: 'Bengaluru', country: 'IN', timeZone: 'Asia/Kolkata', latitude: 12.9716, longitude: 77.5946, currency: 'INR', weight: 4 },
  { name: 'Manila', country: 'PH', timeZone: 'Asia/Manila', latitude: 14.5995, longitude: 120.9842, currency: 'PHP', weight: 2 },
  { name: 'Kuala Lumpur', country: 'MY', timeZone: 'Asia/Kuala_Lumpur', latitude: 3.139, longitude: 101.6869, currency: 'MYR', weight: 2 },
  { name: 'Ho Chi Minh City', country: 'VN', timeZone: 'Asia/Ho_Chi_Minh', latitude: 10.8231, longitude: 106.6297, currency: 'VND', weight: 2 },
  { name: 'Sydney', country: 'AU', timeZone: 'Australia/Sydney', latitude: -33.8688, longitude: 151.2093, currency: 'AUD', weight: 5 },
  { name: 'Melbourne', country: 'AU', timeZone: 'Australia/Melbourne', latitude: -37.8136, longitude: 144.9631, currency: 'AUD', weight: 4 },
  { name: 'Auckland', country: 'NZ', timeZone: 'Pacific/Auckland', latitude: -36.8485, longitude: 174.7633, currency: 'NZD', weight: 2 },
];

export interface Currency {
  /** Digits after the decimal point (ISO 4217 minor unit): prices are stored in minor units. */
  digits: number;
  /** What a €1 ticket costs there, roughly: exchange rate times local price level. */
  perEuro: number;
}

export const currencies: Readonly<Record<string, Currency>> = {
  EUR: { digits: 2, perEuro: 1 },
  GBP: { digits: 2, perEuro: 0.9 },
  CHF: { digits: 2, perEuro: 1.3 },
  DKK: { digits: 2, perEuro: 8 },
  SEK: { digits: 2, perEuro: 11 },
  NOK: { digits: 2, perEuro: 12 },
  ISK: { digits: 0, perEuro: 170 },
  PLN: { digits: 2, perEuro: 3 },
  CZK: { digits: 2, perEuro: 18 },
  HUF: { digits: 2, perEuro: 250 },
  TRY: { digits: 2, perEuro: 20 },
  USD: { digits: 2, perEuro: 1.2 },
  CAD: { digits: 2, perEuro: 1.5 },
  MXN: { digits: 2, perEuro: 12 },
  BRL: { digits: 2, perEuro: 3.5 },
  ARS: { digits: 2, perEuro: 600 },
  CLP: { digits: 0, perEuro: 600 },
  COP: { digits: 2, perEuro: 2500 },
  PEN: { digits: 2, perEuro: 2.4 },
  ZAR: { digits: 2, perEuro: 11 },
  NGN: { digits: 2, perEuro: 600 },
  KES: { digits: 2, perEuro: 80 },
  MAD: { digits: 2, perEuro: 6 },
  EGP: { digits: 2, perEuro: 20 },
  AED: { digits: 2, perEuro: 4.5 },
  ILS: { digits: 2, perEuro: 4.2 },
  JPY: { digits: 0, perEuro: 140 },
  KRW: { digits: 0, perEuro: 1300 },
  TWD: { digits: 2, perEuro: 25 },
  HKD: { digits: 2, perEuro: 8 },
  SGD: { digits: 2, perEuro: 1.5 },
  THB: { digits: 2, perEuro: 20 },
  INR: { digits: 2, perEuro: 35 },
  PHP: { digits: 2, perEuro: 30 },
  MYR: { digits: 2, perEuro: 2.5 },
  VND: { digits: 0, perEuro: 12_000 },
  AUD: { digits: 2, perEuro: 1.7 },
  NZD: { digits: 2, perEuro: 1.8 },
};

/** Venue names: "Blue Warehouse", "The Velvet Room", "Berlin Arena", "Studio 7". */
export const venueWords = {
  adjectives: ['Blue', 'Old', 'Grand', 'Little', 'Red', 'Golden', 'Velvet', 'Iron', 'Electric', 'Royal', 'Silver', 'Paper', 'Lantern', 'Northern', 'Harbour', 'Copper', 'Green', 'Black Cat', 'Sunset', 'Glasshouse'],
  nouns: ['Hall', 'Room', 'Warehouse', 'Theatre', 'Arena', 'Loft', 'Garden', 'Pavilion', 'Club', 'Cellar', 'Depot', 'Forum', 'Gallery', 'Studio', 'Stage', 'Factory', 'Lounge', 'Ballroom', 'Kitchen', 'Yard', 'Works', 'Social'],
  streets: ['Harbour Road', 'Market Street', 'Station Square', 'Canal Street', 'Riverside', 'Old Town Lane', 'Mill Road', 'Park Avenue', 'Church Street', 'Warehouse Row', 'Dock Street', "King's Road", 'Queen Street', 'Garden Lane', 'Bridge Street', 'Castle Hill', 'Factory Lane', 'Theatre Square', 'University Avenue', 'Lighthouse Quay'],
} as const;

export interface TicketTier {
  name: string;
  /** Price relative to the category's base price. */
  factor: number;
}

export interface CategoryContent {
  /** Share of all events (relative). */
  weight: number;
  /** What the events are about: "Jazz", "Techno", "Pottery". Lowercased, each is also a tag. */
  subjects: readonly string[];
  /** What kind of event: "Night", "Warehouse Sessions", "Masterclass". */
  formats: readonly string[];
  adjectives: readonly string[];
  tags: readonly string[];
  /** A typical ticket in euros. */
  basePriceEuro: number;
  /** Share of events with a free ticket. */
  freeShare: number;
  /** Name of the free ticket type of a free event. */
  freeTicket: string;
  /** Cheapest first: events take the first few (there are at least six). */
  tiers: readonly TicketTier[];
  /** Typical total capacity of one event. */
  capacity: readonly [number, number];
  /** Local start hours to choose from (repeat one to make it likelier). */
  startHours: readonly number[];
  /** Length of one event in minutes. */
  minutes: readonly [number, number];
  /** Description sentences; `{subject}` and `{city}` are filled in. */
  blurbs: readonly string[];
}

export const categoryContent: Readonly<Record<CategorySlug, CategoryContent>> = {
  music: {
    weight: 20,
    subjects: ['Jazz', 'Blues', 'Soul', 'Funk', 'Indie Rock', 'Hip-Hop', 'Classical', 'Folk', 'Metal', 'Punk', 'Reggae', 'Afrobeat', 'Latin', 'Singer-Songwriter', 'Gospel', 'K-Pop', 'Bossa Nova', 'Chamber Music', 'Synthwave', 'Bluegrass'],
    formats: ['Night', 'Live', 'Sessions', 'Showcase', 'Concert', 'Evening', 'Jam', 'Revue', 'Big Band Night', 'Unplugged'],
    adjectives: ['Late-Night', 'Acoustic', 'Intimate', 'Rooftop', 'Summer', 'Winter', 'Midnight', 'Sunday', 'Underground', 'Candlelight'],
    tags: ['live', 'concert', 'live music', 'band', 'gig'],
    basePriceEuro: 30,
    freeShare: 0.08,
    freeTicket: 'Free entry',
    tiers: [
      { name: 'Early Bird', factor: 0.75 },
      { name: 'Standing', factor: 1 },
      { name: 'Seated', factor: 1.2 },
      { name: 'Balcony', factor: 1.4 },
      { name: 'VIP', factor: 2.5 },
      { name: 'Meet & Greet', factor: 4 },
    ],
    capacity: [80, 2500],
    startHours: [19, 20, 20, 21],
    minutes: [120, 240],
    blurbs: ['An evening of {subject} from local and touring artists.', 'The best {subject} in {city}, up close.', 'Two sets of {subject}, with a short break in between.', 'Expect {subject} classics and new songs alike.'],
  },
  nightlife: {
    weight: 12,
    subjects: ['Techno', 'House', 'Disco', 'Drum & Bass', 'UK Garage', 'Reggaeton', 'Afro House', 'Trance', 'Dancehall', "'80s", 'Queer', 'Amapiano'],
    formats: ['Warehouse Sessions', 'Rave', 'Club Night', 'Party', 'All-Nighter', 'Day Party', 'Rooftop Party', 'Boat Party', 'Takeover', 'Afterparty'],
    adjectives: ['Midnight', 'Neon', 'Deep', 'Dark', 'Sunrise', 'Secret', 'Basement', 'Open-Air', 'Marathon', 'Friday'],
    tags: ['club', 'dj', 'party', 'dance', 'nightlife'],
    basePriceEuro: 20,
    freeShare: 0.06,
    freeTicket: 'Free before midnight',
    tiers: [
      { name: 'Early Bird', factor: 0.7 },
      { name: 'First Release', factor: 0.85 },
      { name: 'Regular', factor: 1 },
      { name: 'Final Release', factor: 1.2 },
      { name: 'Backstage', factor: 3 },
      { name: 'VIP Table', factor: 6 },
    ],
    capacity: [150, 1500],
    startHours: [21, 22, 23, 23],
    minutes: [300, 540],
    blurbs: ['{subject} until the sun comes up.', 'Resident and guest DJs playing {subject} all night long.', 'A proper sound system and a crowd that came to dance to {subject}.', 'The {subject} night {city} keeps talking about.'],
  },
  'performing-arts': {
    weight: 8,
    subjects: ['Shakespeare', 'Ballet', 'Contemporary Dance', 'Opera', 'Musical', 'Cabaret', 'Circus', 'Puppetry', 'Flamenco', 'Tango', 'Physical Theatre', 'Spoken Word'],
    formats: ['Premiere', 'Performance', 'Gala', 'Matinee', 'Double Bill', 'Revival', 'Season Opener', 'Festival Edition'],
    adjectives: ['Modern', 'Classic', 'Experimental', 'Immersive', 'Open-Air', 'Award-Winning', 'Family', 'Candlelit'],
    tags: ['theatre', 'stage', 'performance', 'dance'],
    basePriceEuro: 45,
    freeShare: 0.03,
    freeTicket: 'Free preview',
    tiers: [
      { name: 'Rear Circle', factor: 0.7 },
      { name: 'Upper Circle', factor: 0.85 },
      { name: 'Dress Circle', factor: 1 },
      { name: 'Stalls', factor: 1.2 },
      { name: 'Premium Stalls', factor: 1.6 },
      { name: 'Box', factor: 2.5 },
    ],
    capacity: [150, 1200],
    startHours: [14, 19, 19, 20, 20],
    minutes: [90, 180],
    blurbs: ['A new production of {subject}, staged for {city}.', 'Critics call this {subject} bold, funny and moving.', 'An unforgettable night of {subject}.', 'Surtitles in English; running time includes one interval.'],
  },
  comedy: {
    weight: 7,
    subjects: ['Stand-up Comedy', 'Improv', 'Sketch Comedy', 'Late-Night Comedy', 'Roast', 'Open Mic', 'Satire', 'Musical Comedy', 'Clowning', 'Storytelling'],
    formats: ['Showcase', 'Night', 'Special', 'Club', 'Hour', 'Marathon', 'Work in Progress', 'Gala'],
    adjectives: ['Best of', 'Brand New', 'Late Show', 'Friday', 'Unfiltered', 'International', 'Rookie', 'All-Star'],
    tags: ['comedy', 'stand-up', 'laughs', 'comedians'],
    basePriceEuro: 20,
    freeShare: 0.06,
    freeTicket: 'Free entry',
    tiers: [
      { name: 'Early Bird', factor: 0.8 },
      { name: 'Standard', factor: 1 },
      { name: 'Front Row', factor: 1.4 },
      { name: 'Table for Two', factor: 2 },
      { name: 'VIP', factor: 2.5 },
      { name: 'Meet the Comedians', factor: 3 },
    ],
    capacity: [40, 400],
    startHours: [19, 20, 20, 21, 22],
    minutes: [75, 150],
    blurbs: ['Five comedians, one host, no mercy: {subject} at its best.', "{city}'s sharpest {subject}.", 'Material you will not see on television.', 'Contains strong language; not for the easily offended.'],
  },
  festivals: {
    weight: 3,
    subjects: ['Music', 'Food', 'Jazz', 'Electronic', 'Folk', 'Light', 'Street Art', 'Beer', 'Wine', 'Book', 'Lantern', 'Blues'],
    formats: ['Festival', 'Fest', 'Weekender', 'Carnival', 'Fair'],
    adjectives: ['Summer', 'Spring', 'Autumn', 'Winter', 'Midsummer', 'International', 'Harbour', 'City'],
    tags: ['festival', 'outdoor', 'weekend', 'line-up'],
    basePriceEuro: 90,
    freeShare: 0.1,
    freeTicket: 'Free day entry',
    tiers: [
      { name: 'Early Bird Day Ticket', factor: 0.8 },
      { name: 'Day Ticket', factor: 1 },
      { name: 'Weekend Pass', factor: 2.2 },
      { name: 'Weekend + Camping', factor: 2.8 },
      { name: 'VIP Weekend', factor: 5 },
      { name: 'Backstage Pass', factor: 8 },
    ],
    capacity: [2000, 40_000],
    startHours: [11, 12, 12, 14],
    minutes: [600, 4200],
    blurbs: ['Three stages, fifty acts and the best {subject} around {city}.', 'The {subject} festival returns, bigger than ever.', 'Food trucks, workshops and {subject} from morning to night.', 'Bring sunscreen and a rain jacket: this is {city}.'],
  },
  sports: {
    weight: 7,
    subjects: ['Marathon', 'Half Marathon', '10K', 'Yoga', 'CrossFit', 'Basketball', 'Football', 'Cycling', 'Bouldering', 'Tennis', 'Boxing', 'Triathlon', 'Padel', 'Beach Volleyball'],
    formats: ['Race', 'Tournament', 'Final', 'Open', 'Challenge', 'Cup', 'Classic', 'Bootcamp', 'Match'],
    adjectives: ['Annual', 'Charity', 'Night', 'Sunrise', 'Spring', 'Autumn', 'Corporate', 'Amateur'],
    tags: ['sport', 'fitness', 'outdoor', 'active'],
    basePriceEuro: 35,
    freeShare: 0.06,
    freeTicket: 'Free spectator pass',
    tiers: [
      { name: 'Spectator', factor: 0.5 },
      { name: 'Early Registration', factor: 0.85 },
      { name: 'Standard Entry', factor: 1 },
      { name: 'Premium Entry', factor: 1.8 },
      { name: 'Team Entry', factor: 3 },
      { name: 'VIP Hospitality', factor: 4 },
    ],
    capacity: [100, 5000],
    startHours: [8, 9, 10, 18, 19],
    minutes: [90, 360],
    blurbs: ['{subject} for every level, from first-timers to regulars.', 'Compete, cheer or both: {subject} in the heart of {city}.', 'Timing, medals and a finish-line party.', 'All participants receive a T-shirt and a goodie bag.'],
  },
  'food-drink': {
    weight: 8,
    subjects: ['Wine', 'Craft Beer', 'Whisky', 'Street Food', 'Cheese', 'Coffee', 'Sushi', 'BBQ', 'Vegan', 'Cocktail', 'Chocolate', 'Ramen', 'Tapas', 'Gin', 'Natural Wine'],
    formats: ['Tasting', 'Market', 'Masterclass', 'Supper Club', 'Festival', 'Pairing Dinner', 'Brunch', 'Pop-up'],
    adjectives: ['Seasonal', 'Sunday', 'Late-Night', 'Rooftop', 'Farm-to-Table', 'Neighbourhood', 'Grand', 'Secret'],
    tags: ['food', 'drinks', 'tasting', 'foodie'],
    basePriceEuro: 40,
    freeShare: 0.08,
    freeTicket: 'Free entry',
    tiers: [
      { name: 'Walk-in', factor: 0.6 },
      { name: 'Tasting Pass', factor: 1 },
      { name: 'Premium Tasting', factor: 1.6 },
      { name: 'Masterclass Seat', factor: 2 },
      { name: 'Dinner Seat', factor: 2.5 },
      { name: "Chef's Table", factor: 4 },
    ],
    capacity: [30, 400],
    startHours: [12, 13, 18, 19, 19],
    minutes: [120, 300],
    blurbs: ['Taste {subject} from the best producers in and around {city}.', 'A guided {subject} experience with the people who make it.', 'Small plates, good company and plenty of {subject}.', 'Dietary requirements? Tell us when you book.'],
  },
  conferences: {
    weight: 6,
    subjects: ['JavaScript', 'Cloud', 'Data', 'AI', 'Product', 'Design', 'DevOps', 'Security', 'Fintech', 'Climate Tech', 'Startup', 'Marketing', 'Rust', 'Open Source', 'UX', 'Web Performance'],
    formats: ['Conference', 'Summit', 'Forum', 'Days', 'Expo', 'Congress', 'Symposium', 'Meetup'],
    adjectives: ['Annual', 'International', 'Global', 'Regional', 'European', 'Future of', 'Enterprise', 'Community'],
    tags: ['conference', 'talks', 'networking', 'tech', 'business'],
    basePriceEuro: 300,
    freeShare: 0.04,
    freeTicket: 'Free community pass',
    tiers: [
      { name: 'Student', factor: 0.3 },
      { name: 'Early Bird', factor: 0.7 },
      { name: 'Standard', factor: 1 },
      { name: 'Workshop Day', factor: 1.3 },
      { name: 'Full Pass', factor: 1.8 },
      { name: 'Sponsor Pass', factor: 3 },
    ],
    capacity: [100, 3000],
    startHours: [9, 9, 9, 10],
    minutes: [480, 2880],
    blurbs: ['Two tracks of talks on {subject} by practitioners, not salespeople.', 'Meet the {subject} community of {city} and beyond.', 'Hands-on workshops, keynotes and a lot of coffee.', 'Slides and recordings are shared with every attendee afterwards.'],
  },
  workshops: {
    weight: 9,
    subjects: ['Pottery', 'Watercolour', 'Photography', 'Sourdough', 'Screen Printing', 'Calligraphy', 'Woodworking', 'Candle Making', 'Salsa', 'Creative Writing', 'Coding', 'Knife Skills', 'Floristry', 'Life Drawing', 'Bookbinding'],
    formats: ['Workshop', 'Class', 'Masterclass', 'Course', "Beginners' Class", 'Intensive', 'Lab'],
    adjectives: ['Weekend', 'Evening', 'Hands-on', 'Introductory', 'Advanced', 'Small-Group', 'Relaxed', 'Creative'],
    tags: ['workshop', 'learn', 'hands-on', 'class', 'diy'],
    basePriceEuro: 45,
    freeShare: 0.05,
    freeTicket: 'Free taster',
    tiers: [
      { name: 'Drop-in', factor: 0.6 },
      { name: 'Single Session', factor: 1 },
      { name: 'Materials Included', factor: 1.3 },
      { name: 'Pair', factor: 1.8 },
      { name: 'Full Course', factor: 3.5 },
      { name: 'Private Session', factor: 5 },
    ],
    capacity: [6, 40],
    startHours: [10, 11, 14, 18, 19],
    minutes: [90, 240],
    blurbs: ['Learn {subject} from scratch in a small group.', 'All materials are provided; take home what you make.', 'A patient teacher, good tools and enough time to practise {subject}.', 'No experience needed.'],
  },
  film: {
    weight: 5,
    subjects: ['Horror', 'Documentary', 'Short Film', 'Silent Film', 'Cult Classic', 'Anime', 'Arthouse', 'Film Noir', 'Sci-Fi', 'Animation', 'Independent Film', 'World Cinema'],
    formats: ['Screening', 'Night', 'Marathon', 'Double Feature', 'Premiere', 'Open-Air Cinema', 'Festival', 'Retrospective'],
    adjectives: ['Midnight', 'Restored', 'Outdoor', 'Rooftop', 'Sunday', 'Director’s Cut', 'Classic', 'Late'],
    tags: ['film', 'cinema', 'screening', 'movies'],
    basePriceEuro: 12,
    freeShare: 0.08,
    freeTicket: 'Free screening',
    tiers: [
      { name: 'Concession', factor: 0.7 },
      { name: 'Standard', factor: 1 },
      { name: 'Premium Seat', factor: 1.3 },
      { name: 'Double Feature', factor: 1.6 },
      { name: 'Film + Dinner', factor: 3 },
      { name: 'Festival Pass', factor: 5 },
    ],
    capacity: [40, 400],
    startHours: [18, 19, 20, 21, 22],
    minutes: [90, 240],
    blurbs: ['{subject} on the big screen, the way it was meant to be seen.', 'Introduced by the programmer, followed by a Q&A.', 'A hand-picked selection of {subject}.', 'Original version with English subtitles.'],
  },
  art: {
    weight: 6,
    subjects: ['Photography', 'Contemporary Art', 'Sculpture', 'Street Art', 'Impressionism', 'Textile Art', 'Ceramics', 'Digital Art', 'Printmaking', 'Modernism', 'Architecture', 'Illustration'],
    formats: ['Exhibition', 'Retrospective', 'Open Studios', 'Art Fair', 'Gallery Night', 'Group Show', 'Installation'],
    adjectives: ['New', 'Major', 'Solo', 'Emerging', 'Nordic', 'Late-Night', 'Landmark', 'Winter'],
    tags: ['art', 'exhibition', 'gallery', 'culture'],
    basePriceEuro: 15,
    freeShare: 0.25,
    freeTicket: 'Free admission',
    tiers: [
      { name: 'Concession', factor: 0.7 },
      { name: 'Adult', factor: 1 },
      { name: 'Timed Entry', factor: 1.1 },
      { name: 'Adult + Catalogue', factor: 1.6 },
      { name: 'Guided Tour', factor: 1.8 },
      { name: 'Private View', factor: 3 },
    ],
    capacity: [50, 1000],
    startHours: [10, 10, 11, 18],
    minutes: [120, 80_640],
    blurbs: ['Over a hundred works of {subject}, many shown for the first time.', '{subject} that asks what {city} will look like tomorrow.', 'Curator tours every Saturday afternoon.', 'The gallery is step-free and has a café.'],
  },
  family: {
    weight: 5,
    subjects: ['Puppet', 'Science', 'Dinosaur', 'Magic', 'Story Time', 'LEGO', 'Circus', 'Fairy Tale', 'Nature', 'Space', 'Pirate', 'Music'],
    formats: ['Show', 'Workshop', 'Adventure', 'Fun Day', 'Discovery Day', 'Party', 'Trail', 'Matinee'],
    adjectives: ['Big', 'Little', 'Super', 'Holiday', 'Saturday', 'Sunny', 'Magical', 'Wild'],
    tags: ['family', 'kids', 'children', 'all ages'],
    basePriceEuro: 12,
    freeShare: 0.2,
    freeTicket: 'Free for under-3s',
    tiers: [
      { name: 'Child', factor: 0.7 },
      { name: 'Adult', factor: 1 },
      { name: 'Family (2 + 2)', factor: 3 },
      { name: 'Family (2 + 3)', factor: 3.6 },
      { name: 'Season Pass', factor: 6 },
      { name: 'Birthday Party Package', factor: 8 },
    ],
    capacity: [30, 300],
    startHours: [10, 11, 13, 14, 15],
    minutes: [60, 180],
    blurbs: ['A {subject} morning for kids aged 3 to 10 and their grown-ups.', 'Sing, build and laugh along: {subject} for the whole family.', 'Buggy parking and baby-changing on site.', 'Children must be accompanied by an adult.'],
  },
  community: {
    weight: 4,
    subjects: ['Neighbourhood', 'Language Exchange', 'Book Club', 'Repair Café', 'Charity', 'Volunteer', 'Board Game', 'Community Garden', 'Beach Clean-up', 'Pub Quiz', 'Running Club', 'Meditation'],
    formats: ['Meetup', 'Evening', 'Gathering', 'Social', 'Night', 'Drop-in', 'Swap', 'Potluck'],
    adjectives: ['Monthly', 'Weekly', 'Friendly', 'Open', 'Summer', 'Newcomers', 'Neighbourhood', 'Welcome'],
    tags: ['community', 'meetup', 'social', 'local'],
    basePriceEuro: 8,
    freeShare: 0.5,
    freeTicket: 'Free RSVP',
    tiers: [
      { name: 'Member', factor: 0.6 },
      { name: 'Standard', factor: 1 },
      { name: 'Bring a Friend', factor: 1.6 },
      { name: 'Supporter', factor: 2 },
      { name: 'Patron', factor: 4 },
      { name: 'Founding Patron', factor: 8 },
    ],
    capacity: [20, 150],
    startHours: [10, 18, 19, 19, 20],
    minutes: [90, 180],
    blurbs: ['Meet your neighbours at our {subject} get-together.', 'Everyone is welcome, whether you are new to {city} or have lived here forever.', 'Tea, coffee and snacks provided.', 'Run by volunteers; any surplus goes to a local cause.'],
  },
};

/** Closing lines any description may end with. */
export const descriptionEndings = [
  'Doors open 30 minutes before the start.',
  'Tickets are limited: book early.',
  'The venue is wheelchair accessible; contact us for assistance.',
  'Photos will be taken at this event.',
  'Tickets are sent by email and can be shown on your phone.',
  'See you there!',
  '',
] as const;

/** Ticket types organisers keep for guests, hidden from buyers. */
export const hiddenTicketNames = ['Guest list', 'Press', 'Crew', 'Artist guests', 'Sponsors'] as const;

/** Optional ticket type descriptions, by tier position (cheapest first). */
export const ticketDescriptions = ['Limited number available.', '', 'Includes a welcome drink.', 'Best view in the house.', 'Includes priority entry and a gift.', ''] as const;
