// How values read for a person (pure), in the editor's panel and sidebar and in the standalone
// viewer alike: a metric value, a duration, a cell's description, when an experiment was made (in
// the viewer's own time zone, compact: "today 14:05", "Dec 3, 14:05") and how much disk it takes.
// The Python side (xyz_studio/common/format.py: grid captions, W&B, the runner) follows the same
// rule; tests/unit/common/format_cases.json pins both with one table of cases.

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
  if (!Number.isFinite(bytes) || bytes < 1000) return `${bytes > 0 && bytes < 1000 ? Math.round(bytes) : 0} B`;
  let value = bytes;
  let unit = -1;
  while ((unit < 0 || value >= 999.5) && unit < UNITS.length - 1) {  // 999.7 KB reads "1.0 MB", not "1000 KB"
    value /= 1000;
    unit++;
  }
  const shown = value >= 99.95 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

export const MISSING = "–";       // a metric with no value (missing, NaN, infinite)
export const UNKNOWN_TIME = "?";  // a duration that cannot be one (negative, NaN)
const SIGNIFICANT = 4;    // digits a metric keeps: enough to tell cells apart, short enough for a tile
const EXPONENT_BELOW = -4;  // 0.0001 reads as such, 0.00009999 as 9.999e-5
const WHOLE_FROM = 3;     // from 1000, a metric keeps its whole integer part (12345, never 12350: zeros read as exact)
const EXPONENT_FROM = 6;  // 1e6 and over read as 1.235e+6

/** Digits d0 d1 d2 ... meaning d0.d1d2... x 10**exponent, written without an exponent. */
function plain(digits: string, exponent: number): string {
  const kept = digits.replace(/0+$/, "") || "0";
  if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + kept;
  const whole = kept.slice(0, exponent + 1).padEnd(exponent + 1, "0"), fraction = kept.slice(exponent + 1);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A metric value: 4 significant digits ("0.1235", "31.25"), a whole number from 1000 ("12345"), an
 * exponent below 0.0001 and from a million ("1.234e-5", "1.235e+7"), "–" when missing. toExponential
 * and toFixed round the float's exact value, ties away from zero (the Python side does the same). */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0) return "0";
  const sign = value < 0 ? "-" : "", size = Math.abs(value);
  const [mantissa = "0", power = "0"] = size.toExponential(SIGNIFICANT - 1).split("e");
  const exponent = Number(power), digits = mantissa.replace(".", "");
  if (exponent >= EXPONENT_BELOW && exponent < WHOLE_FROM) return sign + plain(digits, exponent);
  if (exponent >= WHOLE_FROM && size < 10 ** EXPONENT_FROM) {
    const whole = size.toFixed(0);
    if (whole.length <= EXPONENT_FROM) return sign + whole;
  }
  const kept = digits.replace(/0+$/, "") || "0";
  const shown = kept.length > 1 ? `${kept[0]}.${kept.slice(1)}` : kept;
  return `${sign}${shown}e${exponent >= 0 ? "+" : "-"}${Math.abs(exponent)}`;
}

/** A duration: "3.2 s" under 10 s, "42 s" under a minute, then "1:15" and "1:02:05"; "?" when unknown. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return UNKNOWN_TIME;
  const tenths = seconds.toFixed(1);
  if (Number(tenths) < 10) return `${tenths} s`;
  const whole = Number(seconds.toFixed(0));
  if (whole < 60) return `${whole} s`;
  const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0"), ss = String(s).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** What a cell's description says, in the order it says it. */
export interface CellFacts {
  /** [axis title, the cell's label on it] */
  axes: readonly (readonly [string, string])[];
  status: string;
  /** null: the status is shown instead */
  seconds: number | null;
  /** [name, value], in the order to show */
  metrics: readonly (readonly [string, number | null])[];
  /** the server that ran it, when there are several */
  server: string | null;
  error: string | null;
}

/** A cell as lines of text: "title: label" per axis, its time (or status), its metrics, the server
 * that ran it and its error. Lines are text, never markup: callers set them as textContent. */
export function describeCell(facts: CellFacts): string[] {
  const lines = facts.axes.map(([title, label]) => `${title}: ${label}`);
  lines.push(facts.seconds !== null ? `time: ${formatSeconds(facts.seconds)}` : `status: ${facts.status}`);
  for (const [name, value] of facts.metrics) lines.push(`${name}: ${formatMetric(value)}`);
  if (facts.server) lines.push(`server: ${facts.server}`);
  if (facts.error) lines.push(`error: ${facts.error}`);
  return lines;
}
