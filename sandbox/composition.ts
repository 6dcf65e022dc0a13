// The sandbox's composition: one SandboxServices owns the world and every engine built on it
// (imitations, fault injection, Batch Operations, access points, Glue, Athena), all created here in
// one order, so what exists never depends on which accessor ran first.
import { AthenaWorld } from './athena/world';
import { FaultInjector, type FaultConfig } from './faults';
import { GlueWorld } from './glue/world';
import { Imitations, type Imitation } from './imitations';
import { AccessPoints } from './s3control/access-points';
import { BatchOperations } from './s3control/batch-operations';
import { SandboxWorld, type SandboxWorldProps } from './world';

export interface SandboxServicesProps extends SandboxWorldProps {
  /** Fault injection rules, active from the start. @default none */
  readonly faults?: FaultConfig;
  /** Misbehaviours of a faulty endpoint, active from the start (see imitations.ts). @default none */
  readonly imitations?: readonly Imitation[];
}

export class SandboxServices {
  /** S3, KMS and IAM state, identities, account, region and clock. */
  readonly world: SandboxWorld;
  /** What the wire answers differently from S3 (the world keeps S3's true semantics). */
  readonly imitations: Imitations;
  /** Throttling, latency and errors decided per request; Batch Operations' KMS tasks ask it too. */
  readonly faults: FaultInjector;
  /** S3 Batch Operations jobs, acting on the world directly. */
  readonly batchOperations: BatchOperations;
  /** S3 Control access points (control plane only). */
  readonly accessPoints: AccessPoints;
  /** The Glue Data Catalog; saved and loaded with the world's state (part `glue`). */
  readonly glue: GlueWorld;
  /** Athena over the Glue catalog and the world's S3. */
  readonly athena: AthenaWorld;

  constructor(props: SandboxServicesProps = {}) {
    const world = new SandboxWorld(props);
    this.world = world;
    // Before anything is seeded or loaded, so a misspelt imitation fails at once.
    this.imitations = new Imitations(props.imitations ?? []);
    this.faults = new FaultInjector(props.faults);
    const place = { s3: world.s3, accountId: world.accountId, region: world.region };
    this.batchOperations = new BatchOperations({ ...place, iam: world.iam, now: world.now, faults: this.faults });
    this.accessPoints = new AccessPoints(place);
    this.glue = new GlueWorld(world.accountId, world.now);
    this.athena = new AthenaWorld({ glue: this.glue, s3: world.s3, now: world.now });
    // Registered before any load, so a saved catalog comes back with the rest of the state.
    world.addStatePart({ name: 'glue', save: () => this.glue.save(), load: (data) => this.glue.load(data) });
  }
}
