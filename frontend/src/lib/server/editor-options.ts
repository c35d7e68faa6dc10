/**
 * The choices the event editor offers: time zones, countries and currencies,
 * computed once on the server (the browser's Intl data may differ from the
 * server's: sending the lists keeps SSR and hydration identical).
 */

import type { SelectOption as Option } from '#lib/types/organiser.ts';

// ISO 3166-1 alpha-2, plus XK (Kosovo, in common use): Intl has no list of regions, only their names.
const countryCodes =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'.split(' ');

const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label, 'en');

function build() {
  const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' });
  return {
    // Grouped by region by their own names (Europe/…, America/…), which is how people look for them.
    timeZones: Intl.supportedValuesOf('timeZone').map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') })),
    countries: countryCodes.map((code) => ({ value: code, label: regions.of(code) ?? code })).sort(byLabel),
    currencies: Intl.supportedValuesOf('currency').map((code) => ({ value: code, label: `${code} · ${currencyNames.of(code) ?? code}` })),
  };
}

let cached: ReturnType<typeof build> | undefined;

export function editorOptions(): { timeZones: Option[]; countries: Option[]; currencies: Option[] } {
  cached ??= build();
  return cached;
}

export function isKnownCurrency(code: string): boolean {
  return editorOptions().currencies.some((option) => option.value === code);
}
