// STS on the wire (awsQuery: form-encoded Action, XML answers): GetCallerIdentity, which the
// runner calls to learn the account id; the identity is the sandbox's configured account.
import { ServiceError } from '../errors';
import type { ServiceHandler } from '../http/registry';
import type { SandboxRequest, SandboxResponse } from '../http/request';
import { escapeXml } from '../s3/xml';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export class StsHandler implements ServiceHandler {
  readonly name = 'sts';
  readonly signingName = 'sts';

  constructor(private readonly accountId: () => string) {}

  operationName(req: SandboxRequest): string {
    return new URLSearchParams(req.body.toString('utf8')).get('Action') ?? req.query.get('Action') ?? 'Unknown';
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    const action = this.operationName(req);
    if (action !== 'GetCallerIdentity') throw new ServiceError('InvalidAction', 400, `The sandbox does not implement STS ${action}`);
    const account = this.accountId();
    const result =
      `<Arn>arn:aws:iam::${account}:user/sandbox</Arn>` + `<UserId>AIDASANDBOX${account}</UserId>` + `<Account>${account}</Account>`;
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>${result}</GetCallerIdentityResult><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
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
