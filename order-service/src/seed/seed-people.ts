/**
 * The huge seed's buyers and attendees. Buyer `n` is always the same person:
 * user id `seed-buyer-<n>`, mail `buyer<n>@seed.twenny.local`, a name from the
 * lists below; attendees other than the buyer get a name from the same lists.
 * `.local` is reserved (RFC 6762): these addresses never reach anyone.
 */

const firstNames = [
  'Aiko', 'Amara', 'Anna', 'Ben', 'Carlos', 'Chloe', 'Daniel', 'Elif', 'Emma', 'Farah',
  'Felix', 'Grace', 'Hannah', 'Hugo', 'Ines', 'Ivan', 'Jakob', 'Julia', 'Kenji', 'Lars',
  'Laura', 'Leon', 'Lina', 'Lucas', 'Maya', 'Mateo', 'Mia', 'Nadia', 'Noah', 'Olga',
  'Omar', 'Paula', 'Priya', 'Rafael', 'Sara', 'Sofia', 'Tariq', 'Theo', 'Yara', 'Zoe',
];

const lastNames = [
  'Andersen', 'Bakker', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'García', 'Hansen', 'Ibrahim', 'Jansen',
  'Kowalski', 'Lambert', 'Martin', 'Nakamura', 'Novak', "O'Brien", 'Petrov', 'Quinn', 'Rossi', 'Schmidt',
  'Silva', 'Smith', 'Tanaka', 'Van Dijk', 'Weber', 'Wong', 'Yilmaz', 'Zhang', 'Müller', 'Nowak',
];

export const buyerUserId = (n: number): string => `seed-buyer-${n}`;
export const buyerEmail = (n: number): string => `buyer${n}@seed.twenny.local`;

/** The name of buyer `n`, or of the attendee drawn as `n`. */
export const personName = (n: number): string => `${firstNames[n % firstNames.length]} ${lastNames[Math.floor(n / firstNames.length) % lastNames.length]}`;

/** Who checked the seeded tickets of past events in at the door. */
export const doorStaff = { userId: 'seed-door-staff', email: 'door@seed.twenny.local' } as const;

/** Who refunded orders as the organiser. */
export const organiserUserId = 'seed-organiser';
