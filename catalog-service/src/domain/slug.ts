/** A URL slug from a title, made unique by the start of the event's id: "amsterdam-jazz-night-5d2c6a". */
export function eventSlug(title: string, id: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const suffix = id.replaceAll('-', '').slice(0, 6);
  return words ? `${words}-${suffix}` : `event-${suffix}`;
}
