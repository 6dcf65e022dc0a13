// Output for people and pipelines: human text on a terminal, JSON lines with --json or when stdout
// is not a TTY. Same data, one formatter each.
import type { Writable } from 'node:stream';

export interface Output {
  readonly json: boolean;
  /** One record: a JSON line, or the human text for it. */
  emit(type: string, data: Record<string, unknown>, human: () => string): void;
  /** Progress that only a person watching needs; dropped in JSON mode. */
  progress(line: string): void;
}

export function createOutput(options: { json?: boolean; stream?: Writable & { isTTY?: boolean } } = {}): Output {
  const stream = options.stream ?? process.stdout;
  const json = options.json ?? !stream.isTTY;
  return {
    json,
    emit(type, data, human) {
      stream.write(json ? `${JSON.stringify({ type, ...data })}\n` : `${human()}\n`);
    },
    progress(line) {
      if (!json) stream.write(`${line}\n`);
    },
  };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/**
 * A progress bar 24 characters wide and the time left at `rate` per second (' ETA 3 min', or ''
 * when the rate or the total is not known yet): the one drawing of progress, for both engines.
 */
export function progressBar(done: number, total: number, rate: number): { readonly bar: string; readonly eta: string } {
  const width = 24;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  const eta = rate > 0 && total > done ? ` ETA ${formatDuration((total - done) / rate)}` : '';
  return { bar: `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`, eta };
}

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return cells
    .map((r) => r.map((c, i) => (numeric[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}
