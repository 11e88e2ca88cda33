/** Wall-clock parts of a moment in an IANA time zone, through Intl (one cached formatter per zone). */
const formatters = new Map<string, Intl.DateTimeFormat>();

export interface WallParts {
  year: string;
  /** 2-digit month, day, hour (00–23) and minute, as Intl formats them. */
  month: string;
  day: string;
  hour: string;
  minute: string;
  /** Short English weekday: Sun … Sat. */
  weekday: string;
}

export function wallParts(at: number, zone: string): WallParts {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = part.value;
  return {
    year: p.year ?? '',
    month: p.month ?? '',
    day: p.day ?? '',
    hour: p.hour ?? '',
    minute: p.minute ?? '',
    weekday: p.weekday ?? '',
  };
}
