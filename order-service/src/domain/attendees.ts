/** One attendee per admission: every ticket of the hold is named, and nothing else is. No I/O. */
export function attendeeErrors(items: Array<{ ticketTypeId: string; quantity: number }>, attendees: Array<{ ticketTypeId: string }>): Array<{ name: string; reason: string }> {
  const wanted = new Map(items.map((i) => [i.ticketTypeId, i.quantity]));
  const given = new Map<string, number>();
  const errors: Array<{ name: string; reason: string }> = [];
  attendees.forEach((a, index) => {
    if (!wanted.has(a.ticketTypeId)) errors.push({ name: `body.attendees[${index}].ticketTypeId`, reason: 'This ticket type is not in the reservation.' });
    given.set(a.ticketTypeId, (given.get(a.ticketTypeId) ?? 0) + 1);
  });
  for (const [ticketTypeId, quantity] of wanted) {
    const count = given.get(ticketTypeId) ?? 0;
    if (count !== quantity) errors.push({ name: 'body.attendees', reason: `The reservation holds ${quantity} ticket(s) of type ${ticketTypeId}; name exactly ${quantity} attendee(s) for it (${count} given).` });
  }
  return errors;
}

/** Whether the buyer may still refund by themselves: before the event's refund deadline. */
export function buyerMayRefund(event: { startsAt: Date; refundableUntilHours: number | null }, now: Date): boolean {
  if (event.refundableUntilHours === null) return false;
  return now.getTime() <= event.startsAt.getTime() - event.refundableUntilHours * 3_600_000;
}
