// What every command starts from: the stack's outputs and AWS clients in its Region.
import { createAwsClients, type AwsClients } from '../aws/clients';
import { readStackOutputs } from '../stack-outputs';
import type { StackOutputs } from '../../stacks/outputs';

export interface GlobalOptions {
  readonly stack: string;
  readonly outputsFile?: string;
  readonly json: boolean;
}

export interface RunContext {
  readonly outputs: StackOutputs;
  readonly clients: AwsClients;
  readonly options: GlobalOptions;
}

export function openContext(options: GlobalOptions, clients?: AwsClients): RunContext {
  const outputs = readStackOutputs({ stack: options.stack, outputsFile: options.outputsFile });
  return { outputs, clients: clients ?? createAwsClients({ region: outputs.region }), options };
}
