// Parses what `/usr/bin/time -f <TIME_FORMAT>` writes, so every child's wall time and peak RSS come
// from the kernel's own accounting (getrusage of the waited child), not from the child itself.

/** The format the bench passes to `/usr/bin/time -f`; one line the parser can find among others. */
export const TIME_FORMAT = 'bench-time wall_s=%e maxrss_kib=%M exit=%x';

export interface TimeMeasurement {
  readonly wallSeconds: number;
  /** Peak resident set size of the child in KiB (GNU time's %M). */
  readonly maxRssKiB: number;
  readonly exitCode: number;
}

/**
 * Finds the bench-time line in `/usr/bin/time -o` output. GNU time puts "Command exited with
 * non-zero status N" or "Command terminated by signal N" before it; those lines are skipped.
 */
export function parseTimeOutput(text: string): TimeMeasurement {
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('bench-time '));
  const match = line?.match(/^bench-time wall_s=([0-9.]+) maxrss_kib=([0-9]+) exit=(-?[0-9]+)\s*$/);
  if (!match)
    throw new Error(
      `No 'bench-time' line in /usr/bin/time output (is /usr/bin/time GNU time?). Received: ${JSON.stringify(text.slice(0, 200))}`,
    );
  return { wallSeconds: Number(match[1]), maxRssKiB: Number(match[2]), exitCode: Number(match[3]) };
}

export function mib(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}

/** What every measured row reports of its process: exit code, wall time, objects per second over it, peak RSS. */
export function processFigures(
  time: TimeMeasurement,
  objects: number,
  decimals = 0,
): { exitCode: number; wallSeconds: number; objectsPerSecond: number; peakRssMiB: number } {
  const scale = 10 ** decimals;
  return {
    exitCode: time.exitCode,
    wallSeconds: time.wallSeconds,
    objectsPerSecond: Math.round((objects / time.wallSeconds) * scale) / scale,
    peakRssMiB: mib(time.maxRssKiB),
  };
}
