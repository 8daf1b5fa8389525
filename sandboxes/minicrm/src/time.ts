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

/** MiniCRM writes Hungarian local time without a zone: `2018-03-02 23:35:41`. */
export function minicrmTime(date: Date): string {
  return BUDAPEST.format(date);
}

/** `UpdatedSince` takes a date or a date and time (space or `+`, which the query parser turns into a space). */
export const UPDATED_SINCE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/;
