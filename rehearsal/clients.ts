// The runner's AWS clients, built by its own factory as a user's run builds them, pointed at a
// sandbox (or another local endpoint such as moto) with dummy credentials.
import { createAwsClients, type AwsClients } from '../runner/aws/clients';
import { SANDBOX_CREDENTIALS } from '../sandbox';

/** maxAttempts 1 by default, so a caller sees each answer, not the runner's retries. */
export function clientsFor(endpoint: string, maxAttempts = 1): AwsClients {
  return createAwsClients({ region: 'us-east-1', endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts, env: {} });
}
