// Unit tests of the GNU time output parser the bench reads wall time and peak RSS from.
import { parseTimeOutput, processFigures, TIME_FORMAT } from '../../bench/lib/time-output';

describe('parseTimeOutput', () => {
  it('reads wall seconds, peak RSS in KiB and the exit code', () => {
    expect(parseTimeOutput('bench-time wall_s=3.47 maxrss_kib=139568 exit=0\n')).toEqual({
      wallSeconds: 3.47,
      maxRssKiB: 139568,
      exitCode: 0,
    });
  });

  it('skips the line GNU time writes before it when the command failed', () => {
    const text = 'Command exited with non-zero status 3\nbench-time wall_s=0.94 maxrss_kib=130920 exit=3\n';
    expect(parseTimeOutput(text)).toEqual({ wallSeconds: 0.94, maxRssKiB: 130920, exitCode: 3 });
  });

  it('refuses output without the bench-time line, quoting what it got', () => {
    expect(() => parseTimeOutput('0.94 130920\n')).toThrow(/No 'bench-time' line.*0\.94 130920/);
  });

  it('parses what its own format produces', () => {
    const rendered = TIME_FORMAT.replace('%e', '12.00').replace('%M', '2048').replace('%x', '20');
    expect(parseTimeOutput(rendered)).toEqual({ wallSeconds: 12, maxRssKiB: 2048, exitCode: 20 });
  });
});

it('reports a process row: objects per second over its wall time, rounded to the digits asked, and peak RSS in MiB', () => {
  const time = { wallSeconds: 7.5, maxRssKiB: 157_286, exitCode: 0 };
  expect(processFigures(time, 600)).toEqual({ exitCode: 0, wallSeconds: 7.5, objectsPerSecond: 80, peakRssMiB: 153.6 });
  expect(processFigures({ ...time, wallSeconds: 7 }, 600, 1)).toEqual({
    exitCode: 0,
    wallSeconds: 7,
    objectsPerSecond: 85.7,
    peakRssMiB: 153.6,
  });
});
