// Output for people and pipelines: human text on a terminal, JSON lines with --json or when stdout
// is not a TTY. Same data, one formatter each; every event type is documented in docs/events.md.
import type { Writable } from 'node:stream';
import { createColors } from 'picocolors';

/** The colours human text may use; each is the identity when colour is off. */
export interface Style {
  readonly ok: (text: string) => string;
  readonly bad: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export interface Output {
  readonly json: boolean;
  /** One record: a JSON line, or the human text for it (built with the output's colours). */
  emit(type: string, data: Record<string, unknown>, human: (style: Style) => string): void;
  /**
   * Progress that only a person watching needs: on a terminal one line redrawn in place, elsewhere
   * dropped. In JSON mode the event, when one is given, is written as a record instead.
   */
  progress(line: string, event?: { readonly type: string; readonly data: Record<string, unknown> }): void;
}

/**
 * The longest JSON line the CLI writes without --samples, in characters. Sample lists are cut to
 * SAMPLES_SHOWN entries to stay under it; tests hold every line of a rehearsed run to it.
 */
export const MAX_JSON_LINE = 4096;
/** Entries of each sample list in a JSON line without --samples; the rest is counted in `<name>Omitted`. */
export const SAMPLES_SHOWN = 3;

type Stream = Writable & { isTTY?: boolean };

export interface OutputOptions {
  /** JSON lines instead of human text. @default true when the stream is not a terminal */
  readonly json?: boolean;
  /** @default process.stdout */
  readonly stream?: Stream;
  /** Every entry of every sample list in JSON lines; off, each is cut to SAMPLES_SHOWN. @default true */
  readonly samples?: boolean;
  /** Colour in human text. @default colourWanted(stream) */
  readonly colour?: boolean;
  /** Where every record also goes as a JSON line, whatever the mode (--events-file). */
  readonly events?: { write(line: string): unknown };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything but '' (https://no-color.org). */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function styleOf(colour: boolean): Style {
  const c = createColors(colour);
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold };
}

function isSampleList(key: string): boolean {
  return key === 'sample' || key === 'samples' || key.endsWith('Sample') || key.endsWith('Samples');
}

/** A copy of `value` whose sample lists hold at most `shown` entries, each cut list beside a count of what it left out. */
export function cutSamples(value: unknown, shown: number = SAMPLES_SHOWN): unknown {
  if (Array.isArray(value)) return value.map((v) => cutSamples(v, shown));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (isSampleList(key) && Array.isArray(v) && v.length > shown) {
      out[key] = v.slice(0, shown).map((x) => cutSamples(x, shown));
      out[`${key}Omitted`] = v.length - shown;
    } else out[key] = cutSamples(v, shown);
  }
  return out;
}

/** Clears the line the cursor is on and returns to its start (ECMA-48 EL and CR). */
const CLEAR_LINE = '\r\u001b[2K';

export function createOutput(options: OutputOptions = {}): Output {
  const stream = options.stream ?? process.stdout;
  const json = options.json ?? !stream.isTTY;
  const style = styleOf(!json && (options.colour ?? colourWanted(stream)));
  const redraw = !json && stream.isTTY === true;
  const jsonLine = (type: string, data: Record<string, unknown>) =>
    `${JSON.stringify(options.samples === false ? { type, ...(cutSamples(data) as Record<string, unknown>) } : { type, ...data })}\n`;
  // Whether a progress line is on screen: the next record replaces it.
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write(CLEAR_LINE);
    drawn = false;
  };
  return {
    json,
    emit(type, data, human) {
      options.events?.write(jsonLine(type, data));
      if (json) {
        stream.write(jsonLine(type, data));
        return;
      }
      clear();
      stream.write(`${human(style)}\n`);
    },
    progress(line, event) {
      if (event) options.events?.write(jsonLine(event.type, event.data));
      if (json) {
        if (event) stream.write(jsonLine(event.type, event.data));
        return;
      }
      if (!redraw) return;
      // One line, cut to the terminal's width: a wrapped line could not be redrawn in place.
      const columns = (stream as { columns?: number }).columns ?? 120;
      stream.write(`${CLEAR_LINE}${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
      drawn = true;
    },
  };
}

/** A count as people read it: 15,964. Human text only; JSON keeps plain numbers. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Dollars with cents and thousands separators: 1,234.50. */
export function formatUsd(usd: number): string {
  return usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? formatCount(value) : value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${formatCount(Number((seconds / 86400).toFixed(1)))} days`;
}

/**
 * A progress bar 24 characters wide and the time left at `rate` per second (' ETA 3 min', or ''
 * when the rate or the total is not known yet): the one drawing of progress, for both engines.
 */
export function progressBar(
  done: number,
  total: number,
  rate: number,
  style: Style = styleOf(false),
): { readonly bar: string; readonly eta: string } {
  const width = 24;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  const eta = rate > 0 && total > done ? ` ETA ${formatDuration((total - done) / rate)}` : '';
  return { bar: `[${style.ok('#'.repeat(filled))}${style.dim('.'.repeat(width - filled))}]`, eta };
}

/** A plain text table: columns padded to their widest cell, numbers right-aligned with thousands separators. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatCount(c) : c)))];
  const columns = header.map((_, i) => ({
    width: Math.max(...cells.map((r) => String(r[i] ?? '').length)),
    numeric: rows.length > 0 && rows.every((r) => typeof r[i] === 'number'),
  }));
  return cells
    .map((r) =>
      r
        .map((c, i) => {
          // A row longer than the header keeps its extra cells as they are, unpadded.
          const column = columns[i];
          if (!column) return String(c);
          return column.numeric ? String(c).padStart(column.width) : String(c).padEnd(column.width);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
