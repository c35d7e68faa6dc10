import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { eventFormField, eventValues, patchEventBody, readEventForm, readTicketType, ticketField, ticketTypeBody, ticketTypeFormField } from '#lib/server/event-form.ts';
import { formErrors, localErrors } from '#lib/server/form-errors.ts';
import { requireMember } from '#lib/server/guards.ts';
import { uploadImage } from '#lib/server/media.ts';
import { eventOfTeam, loadEditorOptions } from '#lib/server/organiser.ts';
import type { FormErrors, MediaImage, OrganiserEvent, TicketTypeValues } from '#lib/types/organiser.ts';
import type { Actions, PageServerLoad } from './$types';

type Params = { orgId: string; eventId: string };

/** The event of this page, for a member of the team in the URL (every action checks again). */
async function currentEvent(event: RequestEvent<Params>): Promise<OrganiserEvent> {
  requireMember(event, event.params.orgId);
  return eventOfTeam(event, event.params.orgId, event.params.eventId);
}

const uuid = /^[0-9a-f-]{36}$/i;

export const load: PageServerLoad = async (event) => {
  const found = await currentEvent(event);
  // Without JavaScript the upload lands back here with ?image=<id>: show how its processing goes.
  const imageId = event.url.searchParams.get('image');
  let pendingImage: MediaImage | null = null;
  if (imageId && uuid.test(imageId)) {
    const image = await api(event).get<MediaImage>(`/api/media/images/${imageId}`);
    if (image.ok) pendingImage = image.data;
  }
  return {
    event: found,
    values: eventValues(found),
    options: await loadEditorOptions(event),
    soldOrHeld: found.ticketTypes.reduce((sum, t) => sum + t.sold + t.held, 0),
    sold: found.ticketTypes.reduce((sum, t) => sum + t.sold, 0),
    created: event.url.searchParams.get('created') === '1',
    pendingImage,
  };
};

/** The answer to a status change or a ticket-type change, for the part of the page it concerns. */
const statusFailure = (status: number, message: string) => fail(status, { scope: 'status' as const, message });
const ticketFailure = (status: number, row: string, values: TicketTypeValues, errors: FormErrors) => fail(status, { scope: 'ticketType' as const, row, values, errors });

async function changeStatus(event: RequestEvent<Params>, change: 'publish' | 'unpublish' | 'cancel', done: string) {
  const found = await currentEvent(event);
  const result = await api(event).post<OrganiserEvent>(`/api/events/${found.id}/${change}`);
  if (!result.ok) return statusFailure(result.status, result.problem.message);
  return { scope: 'status' as const, done };
}

export const actions: Actions = {
  save: async (event) => {
    const found = await currentEvent(event);
    const values = { ...readEventForm(await event.request.formData()), ...venueOf(found), ticketTypes: [] };
    const { body, errors } = patchEventBody(values, found.venue.timeZone);
    if (!body) return fail(400, { scope: 'details' as const, values, errors: localErrors(errors) });
    const result = await api(event).patch(`/api/events/${found.id}`, body);
    if (!result.ok) return fail(result.status === 422 ? 400 : result.status, { scope: 'details' as const, values, errors: formErrors(result.problem, (path) => eventFormField(path)) });
    return { scope: 'details' as const, done: 'Your changes are saved.' };
  },

  publish: (event) => changeStatus(event, 'publish', 'Published: the event is listed and its tickets are on sale.'),
  unpublish: (event) => changeStatus(event, 'unpublish', 'Unpublished: the event is a draft again and off sale. Tickets already sold stay valid.'),

  cancel: async (event) => {
    const form = await event.request.formData();
    if (form.get('confirm') !== 'yes') return statusFailure(400, 'Tick the box to confirm that you want to cancel the event.');
    return changeStatus(event, 'cancel', 'The event is cancelled. Its paid orders are being refunded and their buyers told by email.');
  },

  deleteDraft: async (event) => {
    const found = await currentEvent(event);
    const form = await event.request.formData();
    if (form.get('confirm') !== 'yes') return statusFailure(400, 'Tick the box to confirm that you want to delete the draft.');
    const result = await api(event).delete(`/api/events/${found.id}`);
    if (!result.ok) return statusFailure(result.status, result.problem.message);
    redirect(303, `/organiser/${event.params.orgId}?deleted=1`);
  },

  addTicketType: async (event) => {
    const found = await currentEvent(event);
    const values = readTicketType(await event.request.formData(), 'new');
    const { body, errors } = ticketTypeBody(values, 'new', found.currency, found.venue.timeZone);
    if (!body) return ticketFailure(400, 'new', values, localErrors(errors));
    const result = await api(event).post(`/api/events/${found.id}/ticket-types`, body);
    if (!result.ok) return ticketFailure(result.status === 422 ? 400 : result.status, 'new', values, formErrors(result.problem, (path) => ticketTypeFormField(path, 'new')));
    return { scope: 'ticketType' as const, row: 'new', done: `Ticket type "${values.name}" added.` };
  },

  updateTicketType: async (event) => {
    const found = await currentEvent(event);
    const form = await event.request.formData();
    const row = String(form.get('row') ?? '');
    const values = readTicketType(form, row);
    const { body, errors } = ticketTypeBody(values, row, found.currency, found.venue.timeZone);
    if (!body) return ticketFailure(400, row, values, localErrors(errors));
    const result = await api(event).patch(`/api/events/${found.id}/ticket-types/${encodeURIComponent(values.id ?? '')}`, body);
    if (!result.ok) return ticketFailure(result.status === 422 ? 400 : result.status, row, values, formErrors(result.problem, (path) => ticketTypeFormField(path, row)));
    return { scope: 'ticketType' as const, row, done: `Ticket type "${values.name}" saved.` };
  },

  removeTicketType: async (event) => {
    const found = await currentEvent(event);
    const form = await event.request.formData();
    const row = String(form.get('row') ?? '');
    const values = readTicketType(form, row);
    const result = await api(event).delete(`/api/events/${found.id}/ticket-types/${encodeURIComponent(String(form.get(ticketField(row, 'id')) ?? ''))}`);
    if (!result.ok) return ticketFailure(result.status, row, values, { message: result.problem.message, fields: {} });
    return { scope: 'ticketType' as const, row: 'removed', done: `Ticket type "${values.name}" removed.` };
  },

  /** Without JavaScript: the file comes through this server to the API; the page then shows its processing. */
  uploadCover: async (event) => {
    const found = await currentEvent(event);
    const form = await event.request.formData();
    const file = form.get('file');
    const alt = String(form.get('alt') ?? '').trim();
    if (!(file instanceof File) || file.size === 0) return fail(400, { scope: 'cover' as const, alt, errors: { fields: { file: 'Choose an image file (JPEG, PNG, WebP, AVIF or GIF).' } } as FormErrors });
    const result = await uploadImage(event, { file, alt, organizationId: found.organizationId, eventId: found.id });
    if (!result.ok) return fail(result.status, { scope: 'cover' as const, alt, errors: { fields: { file: result.message } } as FormErrors });
    redirect(303, `/organiser/${event.params.orgId}/events/${found.id}/edit?image=${result.id}`);
  },
};

/** The venue cannot change after creation: what the page shows of it comes from the event, whatever was posted. */
function venueOf(event: OrganiserEvent) {
  const { name, address, city, country, timeZone } = event.venue;
  return { venueName: name, venueAddress: address, venueCity: city, venueCountry: country, venueTimeZone: timeZone };
}
