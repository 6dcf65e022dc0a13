// The shared output capture reads whole JSON lines however the stream cuts them.
import { captureOutput, lineSplitter, outcomeOf, recordsOf } from './support/runner-output';
import { ConflictError } from '../../runner/errors';
import { DONE, type EngineResult } from '../../runner/result';

describe('lineSplitter', () => {
  it('holds a line cut in two chunks until its newline arrives', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('{"type":"est');
    expect(lines).toEqual([]);
    splitter.push('imate","versions":3}\n{"type":');
    expect(lines).toEqual(['{"type":"estimate","versions":3}']);
    splitter.push('"summary"}\n');
    expect(lines).toEqual(['{"type":"estimate","versions":3}', '{"type":"summary"}']);
  });

  it('drops empty lines', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('\n\na\n\n');
    expect(lines).toEqual(['a']);
  });
});

describe('captureOutput', () => {
  it('parses a JSON line that reaches the stream in two chunks as one record', () => {
    const captured = captureOutput();
    const seen: unknown[] = [];
    captured.onRecord((record) => seen.push(record));
    captured.stream.write('{"type":"direct-progress","do');
    captured.stream.write('ne":3000}\n');
    expect(captured.records).toEqual([{ type: 'direct-progress', done: 3000 }]);
    expect(seen).toEqual(captured.records);
    expect(captured.of('direct-progress')).toHaveLength(1);
    expect(captured.text()).toBe('{"type":"direct-progress","done":3000}\n');
  });

  it('records what the runner emits', () => {
    const captured = captureOutput();
    captured.output.emit('estimate', { versions: 3 }, () => 'three versions');
    expect(captured.of('estimate')).toEqual([expect.objectContaining({ type: 'estimate', versions: 3 })]);
  });
});

describe('outcomeOf', () => {
  it('is the exit code of a run that ends done', async () => {
    expect(await outcomeOf(Promise.resolve(DONE))).toEqual({ code: 0, message: '' });
  });

  it('is the exit code and message of a run that stopped with an error as its result', async () => {
    const stopped: EngineResult = { outcome: 'conflict', exitCode: 30, error: new ConflictError('another run holds the lock') };
    expect(await outcomeOf(Promise.resolve(stopped))).toEqual({ code: 30, message: 'another run holds the lock' });
  });

  it("is a thrown runner error's exit code and message", async () => {
    const error = new ConflictError('another run holds the lock');
    expect(await outcomeOf(Promise.reject(error))).toEqual({ code: error.exitCode, message: 'another run holds the lock' });
  });
});

describe('recordsOf', () => {
  it("reads every record of a finished run's output, the last line with or without its newline", () => {
    expect(recordsOf('{"type":"a"}\n\n{"type":"b"}')).toEqual([{ type: 'a' }, { type: 'b' }]);
    expect(recordsOf('{"type":"a"}\n')).toEqual([{ type: 'a' }]);
  });
});
