// `migrate policy`: the runner's least-privilege IAM policy for one stack, built from its outputs; sends nothing to AWS.
import type { Command } from 'commander';
import { runnerPolicy } from '../core/runner-policy';
import { readStackOutputs } from '../stack-outputs';
import { examplesHelp, globalOptions, withCommonOptions, type CommonFlags } from './flags';

export function registerPolicyCommand(program: Command): void {
  // The common flags too, as every command takes them (--json changes nothing: the policy is JSON already).
  withCommonOptions(program.command('policy'))
    .summary('print the least-privilege IAM policy (JSON) of the identity that runs migrate')
    .description(
      "print the IAM policy (JSON) that the role or user running `migrate` needs for this stack, and nothing more: the stack's buckets and prefixes, " +
        'its reports and inventory buckets, its Glue tables and Athena workgroup, its key, and iam:PassRole of its Batch Operations role to Batch Operations only. ' +
        "Attach it to that identity, which must also be in the stack's key.users. Built from the stack outputs; nothing is sent to AWS.",
    )
    .addHelpText('before', examplesHelp(['  npm run migrate -- policy --stack prod --outputs-file outputs.json > runner-policy.json']))
    .action((flags: CommonFlags) => {
      const { stack, outputsFile } = globalOptions(flags);
      const outputs = readStackOutputs({ stack, ...(outputsFile ? { outputsFile } : {}) });
      process.stdout.write(`${JSON.stringify(runnerPolicy(outputs), null, 2)}\n`);
    });
}
