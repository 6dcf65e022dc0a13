// Fault injection per service operation (throttling, 500s, latency, dropped connections) at
// configured rates, repeatable from a seed, so later reliability tests can provoke each failure.
import { SandboxConfigError } from './errors';
import { SeededRandom } from './random';

export interface FaultRule {
  /** Handler name (`s3`, `kms`, ...). @default every service */
  readonly service?: string;
  /** Operation name (`PutObject`). @default every operation */
  readonly operation?: string;
  /** Share of requests answered with the service's throttling error. @default 0 */
  readonly throttleRate?: number;
  /** Share of requests answered with 500 InternalError. @default 0 */
  readonly errorRate?: number;
  /** Share of requests whose socket is destroyed without an answer. @default 0 */
  readonly dropRate?: number;
  /** Added delay in milliseconds. @default 0 */
  readonly latencyMs?: number;
  /** Share of requests delayed by latencyMs. @default 1 when latencyMs is set */
  readonly latencyRate?: number;
}

export interface FaultConfig {
  /** @default 1 */
  readonly seed?: number;
  readonly rules: readonly FaultRule[];
}

export type FaultKind = 'throttle' | 'error' | 'drop';

export interface FaultDecision {
  readonly kind?: FaultKind;
  readonly delayMs: number;
}

export interface FaultStats {
  readonly requests: number;
  readonly throttled: number;
  readonly errors: number;
  readonly dropped: number;
  readonly delayed: number;
}

const RATES = ['throttleRate', 'errorRate', 'dropRate', 'latencyRate'] as const;

export class FaultInjector {
  private rules: readonly FaultRule[] = [];
  private random = new SeededRandom(1);
  private counts = { requests: 0, throttled: 0, errors: 0, dropped: 0, delayed: 0 };

  constructor(config?: FaultConfig) {
    if (config) this.configure(config);
  }

  /** Replaces the rules and restarts the random sequence from the seed. */
  configure(config: FaultConfig): void {
    for (const rule of config.rules) validateRule(rule);
    this.rules = [...config.rules];
    this.random = new SeededRandom(config.seed ?? 1);
  }

  clear(): void {
    this.rules = [];
  }

  stats(): FaultStats {
    return { ...this.counts };
  }

  /** Decides the fate of one request; draws from the seeded sequence only when a rule applies. */
  decide(service: string, operation: string): FaultDecision {
    this.counts.requests++;
    const rule = this.rules.find(
      (r) => (r.service === undefined || r.service === service) && (r.operation === undefined || r.operation === operation),
    );
    if (!rule) return { delayMs: 0 };
    const latencyMs = rule.latencyMs ?? 0;
    const delayMs = latencyMs > 0 && this.random.next() < (rule.latencyRate ?? 1) ? latencyMs : 0;
    if (delayMs > 0) this.counts.delayed++;
    const roll = this.random.next();
    let threshold = rule.dropRate ?? 0;
    if (roll < threshold) {
      this.counts.dropped++;
      return { kind: 'drop', delayMs };
    }
    threshold += rule.throttleRate ?? 0;
    if (roll < threshold) {
      this.counts.throttled++;
      return { kind: 'throttle', delayMs };
    }
    threshold += rule.errorRate ?? 0;
    if (roll < threshold) {
      this.counts.errors++;
      return { kind: 'error', delayMs };
    }
    return { delayMs };
  }
}

function validateRule(rule: FaultRule): void {
  for (const name of RATES) {
    const value = rule[name];
    if (value !== undefined && !(value >= 0 && value <= 1)) {
      throw new SandboxConfigError(`fault rule '${name}' must be between 0 and 1. Received: ${value}`);
    }
  }
  const total = (rule.dropRate ?? 0) + (rule.throttleRate ?? 0) + (rule.errorRate ?? 0);
  if (total > 1) {
    throw new SandboxConfigError(`fault rule rates dropRate + throttleRate + errorRate must not exceed 1. Received: ${total}`);
  }
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) {
    throw new SandboxConfigError(`fault rule 'latencyMs' must be zero or more. Received: ${rule.latencyMs}`);
  }
}
