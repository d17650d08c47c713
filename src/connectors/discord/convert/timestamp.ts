/**
 * Discord's `<t:unix:style>` timestamps as readable text. Discord shows them in each
 * reader's own time zone and language; a bridge cannot, so they become English UTC text
 * in the shape of Discord's styles (https://discord.com/developers/docs/reference,
 * "Timestamp Styles"). `R` (relative, "2 months ago") would need the clock, which
 * converters do not read, so it is shown like `F`.
 */

const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type Style = "t" | "T" | "d" | "D" | "f" | "F" | "s" | "S" | "R";

const two = (n: number): string => String(n).padStart(2, "0");

function parts(date: Date) {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
  return {
    shortTime: `${time} UTC`,
    longTime: `${time}:${two(date.getUTCSeconds())} UTC`,
    shortDate: `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`,
    longDate: `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
    weekday: WEEKDAYS[date.getUTCDay()],
  };
}

const STYLES: Record<Style, (p: ReturnType<typeof parts>) => string> = {
  t: (p) => p.shortTime,
  T: (p) => p.longTime,
  d: (p) => p.shortDate,
  D: (p) => p.longDate,
  f: (p) => `${p.longDate} ${p.shortTime}`,
  F: (p) => `${p.weekday}, ${p.longDate} ${p.shortTime}`,
  s: (p) => `${p.shortDate}, ${p.shortTime}`,
  S: (p) => `${p.shortDate}, ${p.longTime}`,
  R: (p) => `${p.weekday}, ${p.longDate} ${p.shortTime}`,
};

/**
 * The timestamp as text, or undefined for a style Discord does not have or seconds beyond
 * what a date can hold (Discord then shows the raw token, and so do we).
 */
export function formatDiscordTimestamp(unixSeconds: number, style = "f"): string | undefined {
  const date = new Date(unixSeconds * 1000);
  if (!Object.hasOwn(STYLES, style) || Number.isNaN(date.getTime())) return undefined;
  return STYLES[style as Style](parts(date));
}
