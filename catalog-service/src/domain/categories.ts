/** The categories events are filed under: stable slugs (in URLs and filters) and their labels. */
export const categories = [
  { slug: 'music', label: 'Music' },
  { slug: 'nightlife', label: 'Nightlife' },
  { slug: 'performing-arts', label: 'Theatre & performing arts' },
  { slug: 'comedy', label: 'Comedy' },
  { slug: 'festivals', label: 'Festivals' },
  { slug: 'sports', label: 'Sports & fitness' },
  { slug: 'food-drink', label: 'Food & drink' },
  { slug: 'conferences', label: 'Conferences' },
  { slug: 'workshops', label: 'Workshops & classes' },
  { slug: 'film', label: 'Film' },
  { slug: 'art', label: 'Art & exhibitions' },
  { slug: 'family', label: 'Family & kids' },
  { slug: 'community', label: 'Community' },
] as const;

export type CategorySlug = (typeof categories)[number]['slug'];
export const categorySlugs = categories.map((c) => c.slug) as [CategorySlug, ...CategorySlug[]];
