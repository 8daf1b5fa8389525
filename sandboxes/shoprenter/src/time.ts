const BUDAPEST = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Budapest',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Shoprenter writes local shop time without a zone: `2019-09-06T15:47:59` (Europe/Budapest assumed). */
export function shopTime(date: Date): string {
  return BUDAPEST.format(date).replace(' ', 'T');
}

/** The `YYYY-MM-DDTHH:MM:SS` of the datetime filters (`updatedAtMin`…); anything else is refused with 40009. */
export const DATETIME_PARAM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
export const DATE_PARAM = /^\d{4}-\d{2}-\d{2}$/;
