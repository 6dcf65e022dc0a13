// S3 access points of the account (S3 Control): create, list by bucket with pages, and each
// access point's policy. Only the control plane: no request reaches a bucket through an access point.
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../errors';
import { parsePolicy, PolicyParseError } from '../iam/policy';
import { decodeKeyToken, encodePageToken } from '../page-token';
import type { S3World } from '../s3/world';

export interface AccessPoint {
  readonly name: string;
  readonly bucket: string;
  readonly bucketAccountId: string;
  readonly accessPointArn: string;
  readonly alias: string;
  readonly networkOrigin: 'Internet' | 'VPC';
  readonly vpcId?: string;
  readonly policy?: string;
}

export interface CreateAccessPointInput {
  readonly name: string;
  readonly bucket: string;
  readonly vpcId?: string;
  readonly bucketAccountId?: string;
}

/** ListAccessPoints' documented page limit. */
export const MAX_ACCESS_POINTS_PER_PAGE = 1000;
/** The scope of ListAccessPoints' page tokens. */
const LIST_ACCESS_POINTS = 'ListAccessPoints';

// Access point names: 3-50 characters, lowercase letters, digits and hyphens, starting and ending with a letter or digit.
const NAME = /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/;

const errors = {
  noSuchAccessPoint: () => new ServiceError('NoSuchAccessPoint', 404, 'The specified accesspoint does not exist'),
  noSuchPolicy: () => new ServiceError('NoSuchAccessPointPolicy', 404, 'The specified accesspoint policy does not exist'),
  alreadyOwned: () =>
    new ServiceError(
      'AccessPointAlreadyOwnedByYou',
      409,
      'Your previous request to create the named accesspoint succeeded and you already own it.',
    ),
  invalidName: (name: string) =>
    new ServiceError(
      'InvalidURI',
      400,
      `Couldn't parse the specified URI. Access point names must be 3-50 lowercase letters, digits or hyphens. Received: ${name}`,
    ),
  malformedPolicy: (message: string) => new ServiceError('MalformedPolicy', 400, message),
};

export class AccessPoints {
  private readonly byName = new Map<string, AccessPoint>();

  constructor(private readonly deps: { readonly s3: S3World; readonly accountId: string; readonly region: string }) {}

  create(input: CreateAccessPointInput): AccessPoint {
    if (!NAME.test(input.name)) throw errors.invalidName(input.name);
    if (this.byName.has(input.name)) throw errors.alreadyOwned();
    this.deps.s3.bucket(input.bucket); // NoSuchBucket, as S3 answers
    const accessPoint: AccessPoint = {
      name: input.name,
      bucket: input.bucket,
      bucketAccountId: input.bucketAccountId ?? this.deps.accountId,
      accessPointArn: `arn:aws:s3:${this.deps.region}:${this.deps.accountId}:accesspoint/${input.name}`,
      alias: `${input.name}-${randomBytes(17).toString('hex').slice(0, 34)}-s3alias`,
      networkOrigin: input.vpcId !== undefined ? 'VPC' : 'Internet',
      ...(input.vpcId !== undefined ? { vpcId: input.vpcId } : {}),
    };
    this.byName.set(input.name, accessPoint);
    return accessPoint;
  }

  get(name: string): AccessPoint {
    const accessPoint = this.byName.get(name);
    if (!accessPoint) throw errors.noSuchAccessPoint();
    return accessPoint;
  }

  delete(name: string): void {
    this.get(name);
    this.byName.delete(name);
  }

  /** Access points by name, optionally of one bucket; `nextToken` continues after the last name of the previous page. */
  list(options: { readonly bucket?: string; readonly maxResults?: number; readonly nextToken?: string } = {}): {
    accessPoints: AccessPoint[];
    nextToken?: string;
  } {
    const max = options.maxResults ?? MAX_ACCESS_POINTS_PER_PAGE;
    if (!Number.isInteger(max) || max < 0 || max > MAX_ACCESS_POINTS_PER_PAGE) {
      throw new ServiceError('InvalidArgument', 400, `maxResults must be between 0 and ${MAX_ACCESS_POINTS_PER_PAGE}. Received: ${max}`);
    }
    const after = options.nextToken !== undefined ? decodeKeyToken(options.nextToken, LIST_ACCESS_POINTS) : undefined;
    if (options.nextToken !== undefined && after === undefined)
      throw new ServiceError('InvalidArgument', 400, `nextToken is not a token ListAccessPoints returned. Received: ${options.nextToken}`);
    const matching = [...this.byName.values()]
      .filter((ap) => options.bucket === undefined || ap.bucket === options.bucket)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .filter((ap) => after === undefined || ap.name > after);
    const page = matching.slice(0, max);
    const more = matching.length > page.length && page.length > 0;
    return { accessPoints: page, ...(more ? { nextToken: encodePageToken(LIST_ACCESS_POINTS, page[page.length - 1]!.name) } : {}) };
  }

  /** PutAccessPointPolicy: a resource policy (JSON, a principal in every statement) replaces the previous one. */
  putPolicy(name: string, policy: string): void {
    const accessPoint = this.get(name);
    try {
      parsePolicy(policy, { requirePrincipal: true });
    } catch (error) {
      if (error instanceof PolicyParseError) throw errors.malformedPolicy(error.message);
      throw error;
    }
    this.byName.set(name, { ...accessPoint, policy });
  }

  getPolicy(name: string): string {
    const policy = this.get(name).policy;
    if (policy === undefined) throw errors.noSuchPolicy();
    return policy;
  }

  deletePolicy(name: string): void {
    const { policy: _removed, ...rest } = this.get(name);
    this.byName.set(name, rest);
  }
}
