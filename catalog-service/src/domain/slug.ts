/**
 * A URL slug from a title, made unique by the start of the event's id:
 * "amsterdam-jazz-night-5d2c6a8e2f5b". Twelve hex digits (48 bits): titles repeat
 * (every weekly "Open Mic Night") and non-Latin ones all become "event-…".
 */
export function eventSlug(title: string, id: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const suffix = id.replaceAll('-', '').slice(0, 12);
  return words ? `${words}-${suffix}` : `event-${suffix}`;
}
