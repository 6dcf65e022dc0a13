// Output for people and pipelines: JSON lines that stay short and parse, text with colour and one redrawn progress line on a terminal.
import { PassThrough } from 'node:stream';
import { MAX_JSON_LINE, SAMPLES_SHOWN, colourWanted, createOutput, cutSamples, formatBytes, formatCount, table } from '../../runner/output';

/** A stream that records what is written, as a terminal (isTTY) or a pipe. */
function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 80 });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

const ANSI = '\u001b[';
const versions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: `logs/2019/01/object-${String(i).padStart(8, '0')}.bin`,
    versionId: 'WqppSHsvaGo4c8PHjJGhx2AfIQYWRZgx',
    reason: 'sse-c',
  }));

describe('JSON lines', () => {
  it('writes one parseable line per event and nothing for progress without an event', () => {
    const out = capture(false);
    const output = createOutput({ stream: out.stream });
    output.emit('bucket-plan', { bucket: 'b', versions: 15964 }, () => 'human text');
    output.progress('[####....] classifying');
    output.progress('[####....] 5 of 10', { type: 'job-progress', data: { jobId: 'j', succeeded: 5 } });
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { type: 'bucket-plan', bucket: 'b', versions: 15964 },
      { type: 'job-progress', jobId: 'j', succeeded: 5 },
    ]);
  });

  it(`cuts every sample list to ${SAMPLES_SHOWN} entries and counts the rest, keeping lines under ${MAX_JSON_LINE} characters`, () => {
    const out = capture(false);
    const output = createOutput({ stream: out.stream, samples: false });
    const verification = {
      bucket: 'b',
      current: { versions: 5000, sample: versions(100), acceptedSample: versions(100) },
      noncurrent: { sample: versions(2) },
    };
    output.emit('bucket-verification', verification, () => '');
    const [line] = out.text().split('\n');
    expect(line!.length).toBeLessThanOrEqual(MAX_JSON_LINE);
    const record = JSON.parse(line!) as {
      current: { sample: unknown[]; sampleOmitted: number; acceptedSampleOmitted: number };
      noncurrent: Record<string, unknown>;
    };
    expect(record.current.sample).toHaveLength(SAMPLES_SHOWN);
    expect(record.current.sampleOmitted).toBe(100 - SAMPLES_SHOWN);
    expect(record.current.acceptedSampleOmitted).toBe(100 - SAMPLES_SHOWN);
    expect(record.noncurrent).toEqual({ sample: versions(2) });
  });

  it('writes sample lists whole when asked (--samples)', () => {
    const out = capture(false);
    createOutput({ stream: out.stream, samples: true }).emit('bucket-verification', { current: { sample: versions(20) } }, () => '');
    expect((JSON.parse(out.text()) as { current: { sample: unknown[] } }).current.sample).toHaveLength(20);
  });

  it('leaves data without sample lists as it is', () => {
    expect(cutSamples({ a: [1, 2, 3, 4, 5], b: { c: 'd' }, at: '2026-12-05' })).toEqual({
      a: [1, 2, 3, 4, 5],
      b: { c: 'd' },
      at: '2026-12-05',
    });
  });

  it('also appends every event to the events file while the stream shows text', () => {
    const out = capture(false);
    const events: string[] = [];
    const output = createOutput({ json: false, stream: out.stream, events: { write: (line: string) => events.push(line) } });
    output.emit('summary', { jobs: 2 }, () => '2 job(s)');
    expect(out.text()).toBe('2 job(s)\n');
    expect(events).toEqual(['{"type":"summary","jobs":2}\n']);
  });
});

describe('text on a terminal', () => {
  it('redraws one progress line in place and clears it before the next record', () => {
    const out = capture(true);
    const output = createOutput({ stream: out.stream, colour: false });
    output.progress('[#.......] 1 of 8');
    output.progress('[##......] 2 of 8');
    output.emit('summary', {}, () => 'done');
    expect(out.text()).toBe('\r\u001b[2K[#.......] 1 of 8\r\u001b[2K[##......] 2 of 8\r\u001b[2Kdone\n');
  });

  it('cuts a progress line to the width of the terminal, so that it never wraps', () => {
    const out = capture(true);
    createOutput({ stream: out.stream, colour: false }).progress('x'.repeat(200));
    expect(out.text().replace('\r\u001b[2K', '').length).toBeLessThan(80);
  });

  it('writes no progress line when the text goes to a pipe (--no-json)', () => {
    const out = capture(false);
    const output = createOutput({ json: false, stream: out.stream });
    output.progress('[##......] 2 of 8');
    output.emit('summary', {}, () => 'done');
    expect(out.text()).toBe('done\n');
  });

  it('colours text on a terminal, and not in a pipe', () => {
    const tty = capture(true);
    createOutput({ stream: tty.stream, colour: true }).emit('x', {}, (style) => style.bad('FAILED'));
    expect(tty.text()).toContain(ANSI);
    const pipe = capture(false);
    createOutput({ json: false, stream: pipe.stream }).emit('x', {}, (style) => style.bad('FAILED'));
    expect(pipe.text()).toBe('FAILED\n');
  });

  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
  ])('wants colour on a terminal (%s) with %j: %s', (isTTY, env, wanted) => {
    expect(colourWanted({ isTTY }, env)).toBe(wanted);
  });
});

describe('numbers in human text', () => {
  it('carry thousands separators in counts, bytes and tables', () => {
    expect(formatCount(15964)).toBe('15,964');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(table(['action', 'versions'], [['copy', 15964]])).toBe('action  versions\ncopy      15,964');
  });
});
