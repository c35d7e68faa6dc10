const regionNames = new Intl.DisplayNames(['en-GB'], { type: 'region' });

/** "NL" → "Netherlands"; the code itself when it is not one Intl knows. */
export function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** How a time zone id reads in a sentence: "Europe/Amsterdam" → "Europe/Amsterdam", "America/New_York" → "America/New York". */
export function timeZoneName(timeZone: string): string {
  return timeZone.replaceAll('_', ' ');
}
