// The awsJson1.1 protocol shared by KMS, and later Glue and Athena: X-Amz-Target names the
// operation, the body is a JSON document, errors are `{"__type": ..., "message": ...}`.
import { ServiceError } from '../errors';
import type { ServiceHandler } from './registry';
import { header, type SandboxRequest, type SandboxResponse } from './request';

/** One operation: the parsed JSON input, and the request (for who is calling). */
export type JsonOperation = (input: Record<string, unknown>, req: SandboxRequest) => unknown;

export abstract class JsonProtocolHandler implements ServiceHandler {
  abstract readonly name: string;
  abstract readonly signingName: string;
  abstract readonly targetPrefix: string;
  protected abstract readonly operations: Readonly<Record<string, JsonOperation>>;

  operationName(req: SandboxRequest): string {
    const target = req.target ?? header(req, 'x-amz-target') ?? '';
    return target.slice(target.indexOf('.') + 1);
  }

  async handle(req: SandboxRequest): Promise<SandboxResponse> {
    const name = this.operationName(req);
    const operation = this.operations[name];
    if (!operation) throw new ServiceError('UnknownOperationException', 400, `The sandbox does not implement ${this.targetPrefix}.${name}`);
    let input: Record<string, unknown>;
    try {
      input = req.body.length === 0 ? {} : (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>);
    } catch {
      throw new ServiceError('SerializationException', 400, 'Request body is not valid JSON');
    }
    const output = await operation(input, req);
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(output ?? {}, dateReplacer) };
  }

  renderError(error: ServiceError): SandboxResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.code, ...error.headers },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  }

  throttlingError(): ServiceError {
    return new ServiceError('ThrottlingException', 400, 'Rate exceeded');
  }
}

/** JSON protocols send timestamps as epoch seconds. */
function dateReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}
