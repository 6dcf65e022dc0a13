// The plan guard's output: one JSON line per record with --json (or when stdout is not a terminal),
// human text otherwise. Its own, so the stacks never import the runner.
import type { Writable } from 'node:stream';

export interface Output {
  readonly json: boolean;
  /** One record: a JSON line, or the human text for it. */
  emit(type: string, data: Record<string, unknown>, human: () => string): void;
}

export function createOutput(options: { json?: boolean; stream: Writable & { isTTY?: boolean } }): Output {
  const json = options.json ?? !options.stream.isTTY;
  return {
    json,
    emit(type, data, human) {
      options.stream.write(json ? `${JSON.stringify({ type, ...data })}\n` : `${human()}\n`);
    },
  };
}
