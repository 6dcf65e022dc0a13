// Partition projection for `date` partition keys, as Athena evaluates it: a partition exists to a
// query only when its value is one the projection generates (in range, on the interval grid, in
// the declared format). Other projection types are refused rather than guessed.
import { AthenaSandboxLimitation } from './errors';

export interface DateProjection {
  readonly format: string;
  readonly start: Date;
  readonly end: Date;
  readonly interval: number;
  readonly unit: ProjectionUnit;
}

type ProjectionUnit = 'YEARS' | 'MONTHS' | 'WEEKS' | 'DAYS' | 'HOURS' | 'MINUTES' | 'SECONDS';

const UNIT_MS: Partial<Record<ProjectionUnit, number>> = {
  WEEKS: 604_800_000,
  DAYS: 86_400_000,
  HOURS: 3_600_000,
  MINUTES: 60_000,
  SECONDS: 1000,
};

/** Reads `projection.<key>.*` table parameters; undefined when projection is off. */
export function dateProjection(parameters: Readonly<Record<string, string>>, key: string, now: Date): DateProjection | undefined {
  if (parameters['projection.enabled'] !== 'true') return undefined;
  const type = parameters[`projection.${key}.type`];
  if (type !== 'date')
    throw new AthenaSandboxLimitation(
      `partition projection type '${type ?? '(none)'}' of '${key}' is not supported by the sandbox (only 'date')`,
    );
  const format = required(parameters, `projection.${key}.format`);
  const [from, to] = required(parameters, `projection.${key}.range`)
    .split(',')
    .map((s) => s.trim());
  if (from === undefined || to === undefined) throw new AthenaSandboxLimitation(`projection.${key}.range must be 'start,end'`);
  const unit = (parameters[`projection.${key}.interval.unit`] ?? smallestUnit(format)) as ProjectionUnit;
  return {
    format,
    start: rangeBound(from, format, now),
    end: rangeBound(to, format, now),
    interval: Number(parameters[`projection.${key}.interval`] ?? '1'),
    unit,
  };
}

/** True when the projection generates exactly this partition value. */
export function isProjected(projection: DateProjection, value: string): boolean {
  const time = parseDate(value, projection.format);
  if (time === undefined || time < projection.start || time > projection.end) return false;
  if (formatDate(time, projection.format) !== value) return false;
  const unitMs = UNIT_MS[projection.unit];
  if (unitMs !== undefined) return (time.getTime() - projection.start.getTime()) % (projection.interval * unitMs) === 0;
  const months = (time.getUTCFullYear() - projection.start.getUTCFullYear()) * 12 + time.getUTCMonth() - projection.start.getUTCMonth();
  const step = projection.unit === 'YEARS' ? projection.interval * 12 : projection.interval;
  const sameDayAndTime =
    time.getUTCDate() === projection.start.getUTCDate() &&
    time.getUTCHours() * 3600 + time.getUTCMinutes() * 60 + time.getUTCSeconds() ===
      projection.start.getUTCHours() * 3600 + projection.start.getUTCMinutes() * 60 + projection.start.getUTCSeconds();
  return sameDayAndTime && months % step === 0;
}

const TOKENS: Readonly<Record<string, { readonly width: number; readonly part: 'y' | 'M' | 'd' | 'H' | 'm' | 's' }>> = {
  yyyy: { width: 4, part: 'y' },
  MM: { width: 2, part: 'M' },
  dd: { width: 2, part: 'd' },
  HH: { width: 2, part: 'H' },
  mm: { width: 2, part: 'm' },
  ss: { width: 2, part: 's' },
};

function tokenize(format: string): (string | { readonly width: number; readonly part: string })[] {
  const out: (string | { readonly width: number; readonly part: string })[] = [];
  for (let i = 0; i < format.length;) {
    const token = Object.keys(TOKENS).find((t) => format.startsWith(t, i));
    if (token) {
      out.push(TOKENS[token]!);
      i += token.length;
    } else {
      if (/[A-Za-z]/.test(format[i]!))
        throw new AthenaSandboxLimitation(`date format letter '${format[i]}' in '${format}' is not supported by the sandbox`);
      out.push(format[i]!);
      i++;
    }
  }
  return out;
}

export function parseDate(value: string, format: string): Date | undefined {
  const parts: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0 };
  let at = 0;
  for (const token of tokenize(format)) {
    if (typeof token === 'string') {
      if (value[at] !== token) return undefined;
      at++;
    } else {
      const digits = value.slice(at, at + token.width);
      if (!/^\d+$/.test(digits) || digits.length !== token.width) return undefined;
      parts[token.part] = Number(digits);
      at += token.width;
    }
  }
  if (at !== value.length) return undefined;
  return new Date(Date.UTC(parts.y!, parts.M! - 1, parts.d, parts.H, parts.m, parts.s));
}

export function formatDate(time: Date, format: string): string {
  const values: Record<string, number> = {
    y: time.getUTCFullYear(),
    M: time.getUTCMonth() + 1,
    d: time.getUTCDate(),
    H: time.getUTCHours(),
    m: time.getUTCMinutes(),
    s: time.getUTCSeconds(),
  };
  return tokenize(format)
    .map((t) => (typeof t === 'string' ? t : String(values[t.part]).padStart(t.width, '0')))
    .join('');
}

function rangeBound(text: string, format: string, now: Date): Date {
  if (text.toUpperCase() === 'NOW') return now;
  const parsed = parseDate(text, format);
  if (!parsed)
    throw new AthenaSandboxLimitation(
      `projection range bound '${text}' does not match format '${format}' (relative bounds like NOW-3DAYS are not supported by the sandbox)`,
    );
  return parsed;
}

function smallestUnit(format: string): ProjectionUnit {
  if (format.includes('ss')) return 'SECONDS';
  if (format.includes('mm')) return 'MINUTES';
  if (format.includes('HH')) return 'HOURS';
  if (format.includes('dd')) return 'DAYS';
  return format.includes('MM') ? 'MONTHS' : 'YEARS';
}

function required(parameters: Readonly<Record<string, string>>, name: string): string {
  const value = parameters[name];
  if (value === undefined) throw new AthenaSandboxLimitation(`table parameter '${name}' is missing`);
  return value;
}
