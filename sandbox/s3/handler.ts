// The S3 service on the wire (REST-XML, path-style): finds the operation for a request and
// renders S3's XML errors. S3 Control requests (`/v20180820/...`) are left to their own handler.
import { ServiceError } from '../errors';
import type { ServiceHandler } from '../http/registry';
import type { SandboxRequest, SandboxResponse } from '../http/request';
import { IMITATION_KINDS, type Imitations } from '../imitations';
import type { SandboxWorld } from '../world';
import { bucketOperations } from './api/bucket-operations';
import type { S3Operation } from './api/call';
import { IMITATED_OPERATIONS } from './api/imitated-operations';
import { listingOperations } from './api/listing-operations';
import { objectOperations } from './api/object-operations';
import { operationOf, parseTarget, S3_CONTROL_PATH_PREFIX } from './api/route';
import { escapeXml } from './xml';

const OPERATIONS: Record<string, S3Operation> = { ...bucketOperations, ...listingOperations, ...objectOperations };

export class S3Handler implements ServiceHandler {
  readonly name = 's3';
  readonly signingName = 's3';

  constructor(
    private readonly world: SandboxWorld,
    private readonly imitations: Imitations,
  ) {}

  matches(req: SandboxRequest): boolean {
    return !req.rawPath.startsWith(S3_CONTROL_PATH_PREFIX);
  }

  operationName(req: SandboxRequest): string {
    return operationOf(req);
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    const name = operationOf(req);
    const { bucket, key } = parseTarget(req.rawPath);
    const operation = this.imitated(name, bucket) ?? OPERATIONS[name];
    if (!operation)
      throw new ServiceError(
        'NotImplemented',
        501,
        `The sandbox does not implement S3 ${name} (${req.method} ${req.rawPath}?${req.query.toString()})`,
      );
    const caller = this.world.identities.principalFor(req.scope?.accessKeyId);
    return operation({
      req,
      world: this.world.s3,
      accountId: this.world.accountId,
      region: this.world.region,
      caller,
      identities: this.world.identities,
      bucket: bucket ?? '',
      key: key ?? '',
    });
  }

  /** The faulty endpoint's version of the operation, while an imitation applies to the bucket. */
  private imitated(name: string, bucket: string | undefined): S3Operation | undefined {
    if (bucket === undefined) return undefined;
    const kind = IMITATION_KINDS.find((k) => IMITATED_OPERATIONS[k].operation === name && this.imitations.appliesTo(k, bucket));
    return kind === undefined ? undefined : IMITATED_OPERATIONS[kind].serve;
  }

  renderError(error: ServiceError, req: SandboxRequest): SandboxResponse {
    const resource = req.rawPath;
    const details = Object.entries(error.details)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('');
    return {
      status: error.status,
      headers: { 'content-type': 'application/xml', ...error.headers },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${details}<Resource>${escapeXml(resource)}</Resource><RequestId>sandbox</RequestId></Error>`,
    };
  }

  throttlingError(): ServiceError {
    return new ServiceError('SlowDown', 503, 'Please reduce your request rate.');
  }
}
