// STS on the wire (awsQuery: form-encoded Action, XML answers): GetCallerIdentity, answering who
// the request's credentials stand for, and AssumeRole, which issues a role session's credentials.
import { ServiceError } from '../errors';
import type { ServiceHandler } from '../http/registry';
import type { SandboxRequest, SandboxResponse } from '../http/request';
import type { Identities } from '../iam/identities';
import { escapeXml } from '../s3/xml';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export class StsHandler implements ServiceHandler {
  readonly name = 'sts';
  readonly signingName = 'sts';

  constructor(private readonly identities: Identities) {}

  operationName(req: SandboxRequest): string {
    return this.params(req).get('Action') ?? 'Unknown';
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    const action = this.operationName(req);
    const caller = this.identities.principalFor(req.scope?.accessKeyId);
    if (action === 'GetCallerIdentity') {
      return answer(
        action,
        `<Arn>${escapeXml(caller.arn)}</Arn><UserId>${escapeXml(caller.userId)}</UserId><Account>${caller.accountId}</Account>`,
      );
    }
    if (action === 'AssumeRole') {
      const params = this.params(req);
      const duration = params.get('DurationSeconds');
      const { credentials, principal } = this.identities.assumeRole(caller, {
        roleArn: required(params, 'RoleArn'),
        roleSessionName: required(params, 'RoleSessionName'),
        ...(duration !== null ? { durationSeconds: Number(duration) } : {}),
      });
      return answer(
        action,
        `<Credentials><AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXml(credentials.secretAccessKey)}</SecretAccessKey>` +
          `<SessionToken>${escapeXml(credentials.sessionToken)}</SessionToken><Expiration>${credentials.expiration.toISOString()}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>${escapeXml(principal.userId)}</AssumedRoleId><Arn>${escapeXml(principal.arn)}</Arn></AssumedRoleUser>`,
      );
    }
    throw new ServiceError('InvalidAction', 400, `The sandbox does not implement STS ${action}`);
  }

  private params(req: SandboxRequest): URLSearchParams {
    const body = new URLSearchParams(req.body.toString('utf8'));
    return body.has('Action') ? body : req.query;
  }

  renderError(error: ServiceError): SandboxResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>sandbox</RequestId></ErrorResponse>`,
    };
  }

  throttlingError(): ServiceError {
    return new ServiceError('Throttling', 400, 'Rate exceeded');
  }
}

function answer(action: string, result: string): SandboxResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw new ServiceError('MissingParameter', 400, `The request must contain the parameter ${name}`);
  return value;
}
