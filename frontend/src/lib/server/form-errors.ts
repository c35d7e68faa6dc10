import type { FormErrors } from '#lib/types/organiser.ts';
import type { Problem } from './problem.ts';

/**
 * The API names fields its own way: `ticketTypes[0].capacity` (rules),
 * `ticketTypes.0.capacity` (schemas), `event.ticketTypes[0].salesEndAt` (an
 * edit that breaks a ticket type). One spelling here: dots, no `event.`.
 */
export function apiFieldPath(name: string): string {
  return name.replace(/\[(\d+)\]/g, '.$1').replace(/^event\./, '');
}

/**
 * A problem as a form shows it: each reason next to the form field it is
 * about (`toFormField` says which, or undefined for none), and a sentence for
 * the top of the form. Reasons no field shows go into that sentence, so none
 * is lost; the API's developer wording ("see `errors`") never reaches a page.
 */
export function formErrors(problem: Problem, toFormField: (apiPath: string) => string | undefined): FormErrors {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [name, reason] of Object.entries(problem.fields)) {
    const field = toFormField(apiFieldPath(name));
    if (field && !(field in fields)) fields[field] = reason;
    else unplaced.push(reason);
  }
  const hasFields = Object.keys(fields).length > 0;
  const general = hasFields ? 'Some details need fixing: see the messages next to the fields.' : problem.message;
  const developerWording = /`errors`|see errors/i.test(general);
  const message = [developerWording ? 'Some details need fixing.' : general, ...unplaced.filter((reason) => !general.includes(reason))].join(' ');
  return { message, fields };
}

/** Field errors found before asking the API, with the same sentence on top. */
export function localErrors(fields: Record<string, string>): FormErrors {
  return { message: 'Some details need fixing: see the messages next to the fields.', fields };
}
