import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { blankTicketType } from '#lib/event-editor.ts';
import { blankEvent, createEventBody, eventFormField, readEventForm } from '#lib/server/event-form.ts';
import { formErrors, localErrors } from '#lib/server/form-errors.ts';
import { requireMember } from '#lib/server/guards.ts';
import { loadEditorOptions } from '#lib/server/organiser.ts';
import type { FormErrors, OrganiserEvent } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireMember(event, event.params.orgId);
  // Two ticket-type rows to start with: most events sell more than one kind.
  const values = { ...blankEvent(), ticketTypes: [blankTicketType(), blankTicketType()] };
  return { options: await loadEditorOptions(event), values };
};

export const actions: Actions = {
  default: async (event) => {
    requireMember(event, event.params.orgId);
    const form = await event.request.formData();
    const values = readEventForm(form);
    // Without JavaScript, "Add another ticket type" posts the form: give it back with one more row.
    if (form.get('intent') === 'add-row') return { values: { ...values, ticketTypes: [...values.ticketTypes, blankTicketType()] }, errors: { fields: {} } as FormErrors };

    const { body, errors, rows } = createEventBody(values, event.params.orgId);
    if (!body) return fail(400, { values, errors: localErrors(errors) });
    const result = await api(event).post<OrganiserEvent>('/api/events', body);
    if (!result.ok) return fail(result.status === 422 ? 400 : result.status, { values, errors: formErrors(result.problem, (path) => eventFormField(path, rows)) });
    redirect(303, `/organiser/${event.params.orgId}/events/${result.data.id}/edit?created=1`);
  },
};
