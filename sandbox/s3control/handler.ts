// S3 Control on the wire (REST-XML under /v20180820/, signing name `s3`): the Batch Operations
// job operations, translated to and from the BatchOperations engine, and the access point
// operations. The account comes from the x-amz-account-id header, as on AWS.
import { ServiceError } from '../errors';
import type { ServiceHandler } from '../http/registry';
import { header, type SandboxRequest, type SandboxResponse } from '../http/request';
import { escapeXml } from '../s3/xml';
import type { AccessPoint, AccessPoints } from './access-points';
import type { BatchOperations } from './batch-operations';
import { s3ControlErrors } from './errors';
import type { JobStatus } from './model';
import { createJobInput, tagsInput } from './wire-types';
import { parseRequest, responseDocument } from './wire-xml';

export const S3_CONTROL_PATH_PREFIX = '/v20180820/';

const JOBS_PATH = /^\/v20180820\/jobs(?:\/([^/]+)(?:\/(status|priority|tagging))?)?\/?$/;
const ACCESS_POINTS_PATH = /^\/v20180820\/accesspoint(?:\/([^/]+)(?:\/(policy))?)?\/?$/;

interface Route {
  readonly operation: string;
  readonly jobId?: string;
  readonly accessPoint?: string;
}

export class S3ControlHandler implements ServiceHandler {
  readonly name = 's3-control';
  readonly signingName = 's3';
  /** Ahead of S3, which shares the signing name. */
  readonly priority = 10;

  constructor(
    private readonly jobs: BatchOperations,
    private readonly accessPoints: AccessPoints,
  ) {}

  matches(req: SandboxRequest): boolean {
    return req.rawPath.startsWith(S3_CONTROL_PATH_PREFIX);
  }

  operationName(req: SandboxRequest): string {
    return route(req).operation;
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    const { operation, jobId, accessPoint } = route(req);
    const accountId = header(req, 'x-amz-account-id');
    if (!accountId) throw s3ControlErrors.badRequest("The 'x-amz-account-id' header is required");
    const id = jobId ?? '';
    switch (operation) {
      case 'CreateJob': {
        const result = this.jobs.createJob(accountId, createJobInput(parseRequest(req.body, 'CreateJobRequest')));
        return ok('CreateJobResult', result);
      }
      case 'DescribeJob':
        return ok('DescribeJobResult', { Job: this.jobs.describeJob(accountId, id) });
      case 'ListJobs': {
        const maxResults = req.query.get('maxResults');
        const nextToken = req.query.get('nextToken');
        const result = this.jobs.listJobs(accountId, {
          jobStatuses: req.query.getAll('jobStatuses') as JobStatus[],
          ...(nextToken !== null ? { nextToken } : {}),
          ...(maxResults !== null ? { maxResults: Number(maxResults) } : {}),
        });
        return ok('ListJobsResult', { ...(result.NextToken !== undefined ? { NextToken: result.NextToken } : {}), Jobs: result.Jobs });
      }
      case 'UpdateJobStatus': {
        const reason = req.query.get('statusUpdateReason');
        return ok(
          'UpdateJobStatusResult',
          this.jobs.updateJobStatus(accountId, id, req.query.get('requestedJobStatus') ?? '', reason ?? undefined),
        );
      }
      case 'UpdateJobPriority':
        return ok('UpdateJobPriorityResult', this.jobs.updateJobPriority(accountId, id, Number(req.query.get('priority'))));
      case 'GetJobTagging':
        return ok('GetJobTaggingResult', { Tags: this.jobs.getJobTagging(accountId, id) });
      case 'PutJobTagging':
        this.jobs.putJobTagging(accountId, id, tagsInput(parseRequest(req.body, 'PutJobTaggingRequest')));
        return ok('PutJobTaggingResult', {});
      case 'DeleteJobTagging':
        this.jobs.deleteJobTagging(accountId, id);
        return ok('DeleteJobTaggingResult', {});
      default:
        return this.accessPointOperation(req, operation, accessPoint ?? '');
    }
  }

  private accessPointOperation(req: SandboxRequest, operation: string, name: string): SandboxResponse {
    switch (operation) {
      case 'CreateAccessPoint': {
        const input = parseRequest(req.body, 'CreateAccessPointRequest');
        const vpc = input.VpcConfiguration;
        const vpcId = typeof vpc === 'object' && !Array.isArray(vpc) && typeof vpc.VpcId === 'string' ? vpc.VpcId : undefined;
        const created = this.accessPoints.create({
          name,
          bucket: typeof input.Bucket === 'string' ? input.Bucket : '',
          ...(vpcId !== undefined ? { vpcId } : {}),
          ...(typeof input.BucketAccountId === 'string' ? { bucketAccountId: input.BucketAccountId } : {}),
        });
        return ok('CreateAccessPointResult', { AccessPointArn: created.accessPointArn, Alias: created.alias });
      }
      case 'GetAccessPoint': {
        const ap = this.accessPoints.get(name);
        return ok('GetAccessPointResult', { ...accessPointFields(ap), Name: ap.name });
      }
      case 'DeleteAccessPoint':
        this.accessPoints.delete(name);
        return { status: 204 };
      case 'ListAccessPoints': {
        const maxResults = req.query.get('maxResults');
        const nextToken = req.query.get('nextToken');
        const bucket = req.query.get('bucket');
        const page = this.accessPoints.list({
          ...(bucket !== null ? { bucket } : {}),
          ...(nextToken !== null ? { nextToken } : {}),
          ...(maxResults !== null ? { maxResults: Number(maxResults) } : {}),
        });
        return ok('ListAccessPointsResult', {
          AccessPointList: page.accessPoints.map((ap) => ({ Name: ap.name, ...accessPointFields(ap) })),
          ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
        });
      }
      case 'PutAccessPointPolicy': {
        const input = parseRequest(req.body, 'PutAccessPointPolicyRequest');
        this.accessPoints.putPolicy(name, typeof input.Policy === 'string' ? input.Policy : '');
        return { status: 200 };
      }
      case 'GetAccessPointPolicy':
        return ok('GetAccessPointPolicyResult', { Policy: this.accessPoints.getPolicy(name) });
      case 'DeleteAccessPointPolicy':
        this.accessPoints.deletePolicy(name);
        return { status: 204 };
      default:
        throw s3ControlErrors.notImplemented(`The sandbox does not implement S3 Control ${req.method} ${req.rawPath}`);
    }
  }

  renderError(error: ServiceError): SandboxResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'application/xml', ...error.headers },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>sandbox</RequestId><HostId>sandbox</HostId></ErrorResponse>`,
    };
  }

  throttlingError(): ServiceError {
    return new ServiceError('TooManyRequestsException', 429, 'Rate exceeded');
  }
}

function route(req: SandboxRequest): Route {
  const accessPoint = ACCESS_POINTS_PATH.exec(req.rawPath);
  if (accessPoint) return accessPointRoute(req.method, accessPoint[1], accessPoint[2]);
  const match = JOBS_PATH.exec(req.rawPath);
  if (!match) return { operation: 'Unknown' };
  const jobId = match[1] !== undefined ? decodeURIComponent(match[1]) : undefined;
  const sub = match[2];
  const byMethod: Record<string, string | undefined> =
    jobId === undefined
      ? { POST: 'CreateJob', GET: 'ListJobs' }
      : sub === undefined
        ? { GET: 'DescribeJob' }
        : sub === 'status'
          ? { POST: 'UpdateJobStatus' }
          : sub === 'priority'
            ? { POST: 'UpdateJobPriority' }
            : { GET: 'GetJobTagging', PUT: 'PutJobTagging', DELETE: 'DeleteJobTagging' };
  return { operation: byMethod[req.method] ?? 'Unknown', ...(jobId !== undefined ? { jobId } : {}) };
}

function accessPointRoute(method: string, rawName: string | undefined, sub: string | undefined): Route {
  if (rawName === undefined) return { operation: method === 'GET' ? 'ListAccessPoints' : 'Unknown' };
  const byMethod: Record<string, string | undefined> =
    sub === undefined
      ? { PUT: 'CreateAccessPoint', GET: 'GetAccessPoint', DELETE: 'DeleteAccessPoint' }
      : { PUT: 'PutAccessPointPolicy', GET: 'GetAccessPointPolicy', DELETE: 'DeleteAccessPointPolicy' };
  return { operation: byMethod[method] ?? 'Unknown', accessPoint: decodeURIComponent(rawName) };
}

/** The fields GetAccessPoint and ListAccessPoints share. */
function accessPointFields(ap: AccessPoint): Record<string, unknown> {
  return {
    Bucket: ap.bucket,
    NetworkOrigin: ap.networkOrigin,
    ...(ap.vpcId !== undefined ? { VpcConfiguration: { VpcId: ap.vpcId } } : {}),
    AccessPointArn: ap.accessPointArn,
    Alias: ap.alias,
    BucketAccountId: ap.bucketAccountId,
  };
}

function ok(root: string, fields: Readonly<Record<string, unknown>>): SandboxResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: responseDocument(root, fields) };
}
