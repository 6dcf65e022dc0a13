// Saves the world to a directory and loads it back: state.json for accounts, keys, buckets and
// configurations, the S3 event log; versions.jsonl with one object version per line (bytes bodies as
// base64). Multipart uploads in progress are not saved; versions saved PENDING replicate after loading.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { z } from 'zod';
import { SandboxStateError } from './errors';
import { savedIssues, savedStateSchema, savedVersionSchema } from './saved-state';
import type { KmsAlias, KmsKey } from './kms/world';
import type {
  DefaultEncryption,
  InventoryConfiguration,
  ObjectOwnership,
  PublicAccessBlock,
  VersioningStatus,
  XmlTree,
} from './s3/bucket-config';
import { internEncryption } from './s3/encryption';
import { notificationConfigurationSchema, replicationConfigurationSchema, savedEventLogSchema } from './s3/event-state';
import type { FiredEvent } from './s3/event-log';
import type { NotificationConfiguration } from './s3/notification-config';
import type { ReplicationConfiguration } from './s3/replication-config';
import type { SandboxWorld } from './world';

const FORMAT = 1;

interface SavedBucket {
  readonly name: string;
  readonly region: string;
  readonly creationDate: string;
  readonly objectLockEnabled: boolean;
  readonly versioning: VersioningStatus;
  readonly ownership?: ObjectOwnership;
  readonly encryption: DefaultEncryption;
  readonly publicAccessBlock?: PublicAccessBlock;
  readonly policy?: string;
  readonly lifecycleRules?: readonly XmlTree[];
  readonly inventory: readonly InventoryConfiguration[];
  readonly replication?: ReplicationConfiguration;
  readonly notification?: NotificationConfiguration;
}

/** What saveState writes; loadState reads it back through savedStateSchema. */
interface SavedState {
  readonly format: number;
  readonly accountId: string;
  readonly region: string;
  readonly kms: { readonly keys: readonly KmsKey[]; readonly aliases: readonly KmsAlias[] };
  readonly buckets: readonly SavedBucket[];
  readonly parts: Readonly<Record<string, unknown>>;
  /** The S3 event log; absent in states saved before it existed. */
  readonly events?: unknown;
}

export async function saveState(world: SandboxWorld, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const buckets = world.s3.listBuckets();
  const state: SavedState = {
    format: FORMAT,
    accountId: world.accountId,
    region: world.region,
    kms: { keys: world.kms.listKeys(), aliases: world.kms.listAllAliases() },
    buckets: buckets.map((b) => ({
      name: b.name,
      region: b.region,
      creationDate: b.creationDate.toISOString(),
      objectLockEnabled: b.objectLockEnabled,
      versioning: b.versioning,
      ...(b.ownership ? { ownership: b.ownership } : {}),
      encryption: b.encryption,
      ...(b.publicAccessBlock ? { publicAccessBlock: b.publicAccessBlock } : {}),
      ...(b.policy !== undefined ? { policy: b.policy } : {}),
      ...(b.lifecycleRules ? { lifecycleRules: b.lifecycleRules } : {}),
      inventory: [...b.inventory.values()],
      ...(b.replication ? { replication: b.replication } : {}),
      ...(b.notification.destinations.length > 0 || b.notification.eventBridge ? { notification: b.notification } : {}),
    })),
    events: world.s3.events.events(),
    parts: Object.fromEntries(world.stateParts().map((p) => [p.name, p.save()])),
  };
  await writeFile(join(dir, 'state.json'), JSON.stringify(state, null, 2));
  const out = createWriteStream(join(dir, 'versions.jsonl'));
  let batch = '';
  for (const bucket of buckets) {
    for (const key of bucket.keys()) {
      // Oldest first, so loading appends them back in order.
      for (const version of bucket.versionsOf(key)) {
        batch += JSON.stringify(version, bodyReplacer) + '\n';
        if (batch.length > 1 << 20) {
          if (!out.write(batch)) await once(out, 'drain');
          batch = '';
        }
      }
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

export async function loadState(world: SandboxWorld, dir: string): Promise<void> {
  const state = parseSaved(savedStateSchema, await readStateJson(dir), 'state.json', dir);
  if (state.format !== FORMAT)
    throw new SandboxStateError(`state in ${dir} has format ${state.format}; this sandbox reads format ${FORMAT}`);
  if (state.accountId !== world.accountId) {
    throw new SandboxStateError(
      `state in ${dir} belongs to account ${state.accountId}, but the sandbox runs as ${world.accountId}; start it with that account id`,
    );
  }
  world.kms.restore(
    state.kms.keys.map((k) => ({ ...k })),
    state.kms.aliases.map((a) => ({ ...a })),
  );
  for (const saved of state.buckets) {
    const bucket = world.s3.hasBucket(saved.name)
      ? world.s3.bucket(saved.name)
      : world.s3.createBucket({
          name: saved.name,
          region: saved.region,
          objectLockEnabled: saved.objectLockEnabled,
          ...(saved.ownership ? { ownership: saved.ownership } : {}),
        });
    bucket.versioning = saved.versioning;
    bucket.ownership = saved.ownership;
    bucket.encryption = saved.encryption;
    bucket.publicAccessBlock = saved.publicAccessBlock;
    bucket.policy = saved.policy;
    bucket.lifecycleRules = saved.lifecycleRules;
    for (const config of saved.inventory) bucket.inventory.set(config.id, config);
    bucket.replication =
      saved.replication === undefined
        ? undefined
        : parseSaved(replicationConfigurationSchema, saved.replication, `replication of ${saved.name}`, dir);
    if (saved.notification !== undefined)
      bucket.notification = parseSaved(notificationConfigurationSchema, saved.notification, `notification of ${saved.name}`, dir);
  }
  if (state.events !== undefined) world.s3.events.restore(parseSaved(savedEventLogSchema, state.events, 'events', dir));
  const lines = createInterface({ input: createReadStream(join(dir, 'versions.jsonl'), 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const version = parseSaved(
      savedVersionSchema,
      parseJsonLine(line, lineNumber, dir),
      `version on line ${lineNumber} of versions.jsonl`,
      dir,
    );
    world.s3.insertVersion({ ...version, encryption: internEncryption(version.encryption) });
  }
  for (const part of world.stateParts()) if (state.parts[part.name] !== undefined) part.load(state.parts[part.name]);
  world.s3.requeuePendingReplication();
}

/** The event log of a saved state, without loading the rest (the CLI's `events` command). */
export async function readSavedEvents(dir: string): Promise<FiredEvent[]> {
  const state = parseSaved(z.object({ events: z.unknown().optional() }), await readStateJson(dir), 'state.json', dir);
  return state.events === undefined ? [] : parseSaved(savedEventLogSchema, state.events, 'events', dir);
}

async function readStateJson(dir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
  } catch (error) {
    throw new SandboxStateError(`cannot read sandbox state from ${dir}/state.json: ${String(error)}`, { cause: error });
  }
}

function parseJsonLine(line: string, lineNumber: number, dir: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new SandboxStateError(`state in ${dir} has an unreadable line ${lineNumber} of versions.jsonl: ${String(error)}`, {
      cause: error,
    });
  }
}

function parseSaved<T>(schema: z.ZodType<T>, data: unknown, what: string, dir: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new SandboxStateError(
      `state in ${dir} has an unreadable ${what} (${savedIssues(parsed.error)}): ` +
        'it was not written by this version of the sandbox; save it again with this version, or start without --state-dir',
    );
  }
  return parsed.data;
}

function bodyReplacer(this: unknown, key: string, value: unknown): unknown {
  // A body kept in a file is saved as the bytes it holds: the state folder stands alone.
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file') {
    const { path } = value as { path: string };
    return { kind: 'bytes', data: { base64: readFileSync(path).toString('base64') } };
  }
  // A bytes body's data, or one chunk of a deflated body's chunks.
  const isBufferJson = typeof value === 'object' && value !== null && (value as { type?: string }).type === 'Buffer';
  if (isBufferJson && (key === 'data' || Array.isArray(this))) {
    return { base64: Buffer.from((value as { data: number[] }).data).toString('base64') };
  }
  return value;
}
