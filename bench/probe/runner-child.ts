// Runs the unmodified runner CLI (`main(argv)` of runner/cli.ts) in a bench child process and
// records, from outside the runner: every SDK call (service, operation, start, end), the bytes its
// sockets read and wrote, and its peak RSS. Writes them as JSON to $BENCH_PROBE_OUT at exit.
// Run: BENCH_PROBE_OUT=/tmp/p.json node --import tsx bench/probe/runner-child.ts run --stack bench --outputs-file f
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type { Socket } from 'node:net';
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';

/** One SDK call as the runner made it (retries inside the SDK are one call). */
export interface ProbedCall {
  readonly service: string;
  readonly operation: string;
  /** Milliseconds since the process started (performance.now()). */
  readonly start: number;
  readonly end: number;
  readonly failed?: boolean;
}

export interface ProbeResult {
  readonly exitCode: number;
  readonly wallMs: number;
  readonly calls: readonly ProbedCall[];
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly maxRssKiB: number;
}

const calls: ProbedCall[] = [];

type Sendable = { prototype: { send: (...args: unknown[]) => Promise<unknown> } };

/** Wraps `send` of one client class: the bench's SDK hook, so the runner's code stays as it is. */
function recordCalls(service: string, client: Sendable): void {
  const send = client.prototype.send;
  client.prototype.send = async function recorded(this: unknown, ...args: unknown[]): Promise<unknown> {
    const operation = ((args[0] as object).constructor.name ?? 'Unknown').replace(/Command$/, '');
    const start = performance.now();
    try {
      const answer = await send.apply(this, args);
      calls.push({ service, operation, start, end: performance.now() });
      return answer;
    } catch (error) {
      calls.push({ service, operation, start, end: performance.now(), failed: true });
      throw error;
    }
  };
}

recordCalls('s3', S3Client as unknown as Sendable);
recordCalls('s3control', S3ControlClient as unknown as Sendable);
recordCalls('athena', AthenaClient as unknown as Sendable);
recordCalls('glue', GlueClient as unknown as Sendable);
recordCalls('kms', KMSClient as unknown as Sendable);
recordCalls('sts', STSClient as unknown as Sendable);

// Every client socket, so bytes on the wire (HTTP headers included) are summed at exit.
const sockets = new Set<Socket>();
diagnostics.subscribe('net.client.socket', (message) => {
  sockets.add((message as { socket: Socket }).socket);
});

async function probe(): Promise<void> {
  const out = process.env.BENCH_PROBE_OUT;
  if (!out) throw new Error('BENCH_PROBE_OUT must name the file the probe writes its result to');
  // Imported after the hooks so every client the runner builds is already recorded.
  const { main } = await import('../../runner/cli');
  const exitCode = await main(process.argv.slice(2));
  let bytesRead = 0;
  let bytesWritten = 0;
  for (const socket of sockets) {
    bytesRead += socket.bytesRead;
    bytesWritten += socket.bytesWritten;
  }
  const result: ProbeResult = {
    exitCode,
    wallMs: performance.now(),
    calls,
    bytesRead,
    bytesWritten,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  fs.writeFileSync(out, JSON.stringify(result));
  process.exitCode = exitCode;
}

probe().catch((error: Error) => {
  process.stderr.write(`runner probe failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
