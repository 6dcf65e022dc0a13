// The pluggable service registry: each AWS service is one ServiceHandler; the server asks the
// registry which handler owns a request (SigV4 scope first, then X-Amz-Target) and nothing else.
import type { ServiceError } from '../errors';
import type { SandboxRequest, SandboxResponse } from './request';

export interface ServiceHandler {
  /** Unique name, also the `service` of fault rules: `s3`, `s3-control`, `kms`, `sts`, ... */
  readonly name: string;
  /** The service name in the SigV4 credential scope (`s3` for both S3 and S3 Control). */
  readonly signingName: string;
  /** X-Amz-Target prefix for JSON protocols (`TrentService`), the fallback route. */
  readonly targetPrefix?: string;
  /**
   * Higher wins when several handlers share a signing name: S3 Control claims `/v20180820/`
   * paths with a higher priority than S3. Default 0.
   */
  readonly priority?: number;
  /** Further discrimination among handlers that share a signing name. Default: accept. */
  matches?(req: SandboxRequest): boolean;
  /** The AWS operation name (`PutObject`), used by fault injection and logs. */
  operationName(req: SandboxRequest): string;
  handle(req: SandboxRequest): Promise<SandboxResponse>;
  /** Renders an AWS error in this service's protocol. */
  renderError(error: ServiceError, req: SandboxRequest): SandboxResponse;
  /** The error this service returns when throttled (S3 `503 SlowDown`, JSON `ThrottlingException`). */
  throttlingError(): ServiceError;
}

export class ServiceRegistry {
  private readonly handlers: ServiceHandler[] = [];

  register(handler: ServiceHandler): void {
    if (this.handlers.some((h) => h.name === handler.name)) {
      throw new Error(`service handler '${handler.name}' is already registered`);
    }
    this.handlers.push(handler);
    this.handlers.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  }

  get(name: string): ServiceHandler | undefined {
    return this.handlers.find((h) => h.name === name);
  }

  names(): string[] {
    return this.handlers.map((h) => h.name);
  }

  /** The handler for a request, or undefined when no service claims it. */
  route(req: SandboxRequest): ServiceHandler | undefined {
    const accepts = (h: ServiceHandler): boolean => h.matches?.(req) ?? true;
    if (req.scope) {
      const bySigning = this.handlers.find((h) => h.signingName === req.scope!.service && accepts(h));
      if (bySigning) return bySigning;
    }
    if (req.target) {
      const prefix = req.target.split('.')[0];
      const byTarget = this.handlers.find((h) => h.targetPrefix === prefix && accepts(h));
      if (byTarget) return byTarget;
    }
    return undefined;
  }
}
