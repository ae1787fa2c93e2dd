// Short texts for the sidebar's rows (pure): when an experiment was made, in the viewer's
// own time zone and compact ("today 14:05", "Dec 3, 14:05"), and how much disk it takes.

const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const DAY: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" };
const DAY_AND_YEAR: Intl.DateTimeFormatOptions = { ...DAY, year: "numeric" };
const FULL: Intl.DateTimeFormatOptions = { ...DAY_AND_YEAR, ...TIME, second: "2-digit", weekday: "short" };

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** `seconds` since 1970 (a record's `created`) as "today 14:05", "yesterday 09:12", "Dec 3, 14:05",
 * or with the year when it is not this one ("Dec 3, 2025, 14:05"). */
export function formatWhen(seconds: number, now: Date = new Date(), locale?: string): string {
  const when = new Date(seconds * 1000);
  const time = when.toLocaleTimeString(locale, TIME);
  if (sameDay(when, now)) return `today ${time}`;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (sameDay(when, yesterday)) return `yesterday ${time}`;
  const day = when.toLocaleDateString(locale, when.getFullYear() === now.getFullYear() ? DAY : DAY_AND_YEAR);
  return `${day}, ${time}`;
}

/** The full local date and time (a row's hover text). */
export function formatFullDate(seconds: number, locale?: string): string {
  return new Date(seconds * 1000).toLocaleString(locale, FULL);
}

const UNITS = ["KB", "MB", "GB", "TB"];

/** Bytes as people read them: "0 B", "812 B", "12.4 MB", "1.2 GB", "310 MB" (1 kB = 1000 B, as file managers show). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = -1;
  while ((unit < 0 || value >= 999.5) && unit < UNITS.length - 1) {  // 999.7 KB reads "1.0 MB", not "1000 KB"
    value /= 1000;
    unit++;
  }
  const shown = value >= 99.95 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}
