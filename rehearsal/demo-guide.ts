// What the demo tells its user at the end: the environment and the commands that try `status` and
// `report` on the migrated sandbox, while it is kept running (--keep) or how to keep it next time.

export interface DemoGuide {
  /** The sandbox's endpoint, while it runs. */
  readonly endpoint: string;
  readonly region: string;
  readonly stack: string;
  readonly outputsFile: string;
  /** The folder of the runner's JSON lines, one file per command of the demo. */
  readonly eventsDir: string;
  /** Whether the sandbox keeps running after the demo (--keep). */
  readonly kept: boolean;
}

/** The credentials the demo's runner uses: any works, the sandbox takes every one as the runner role. */
export const DEMO_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDSANDBOXDEMO', AWS_SECRET_ACCESS_KEY: 'sandbox-demo-secret' } as const;

/** The export line that points the runner (and the AWS CLI) at the sandbox. */
export function exportLine(endpoint: string, region: string): string {
  const env = { AWS_ENDPOINT_URL: endpoint, ...DEMO_CREDENTIALS, AWS_REGION: region };
  return `export ${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

/** The commands that look at the migrated sandbox. */
export function tryCommands(guide: Pick<DemoGuide, 'stack' | 'outputsFile'>): string[] {
  const common = `--stack ${guide.stack} --outputs-file ${guide.outputsFile}`;
  return [`npm run migrate -- status ${common}`, `npm run migrate -- report ${common} --format html --out demo-report.html`];
}

/** The demo's last lines. */
export function guideLines(guide: DemoGuide): string[] {
  if (!guide.kept) {
    return [
      'The sandbox is stopped and its files are removed. To try status and report on the result, run the demo with --keep:',
      '  npm run demo -- --keep',
      'then, in another terminal, with the endpoint it prints:',
      `  ${exportLine('http://127.0.0.1:<port>', guide.region)}`,
      ...tryCommands({ stack: guide.stack, outputsFile: '<the folder it prints>/outputs.json' }).map((c) => `  ${c}`),
    ];
  }
  return [
    `The sandbox keeps running on ${guide.endpoint} until Ctrl-C. In another terminal, try:`,
    `  ${exportLine(guide.endpoint, guide.region)}`,
    ...tryCommands(guide).map((c) => `  ${c}`),
    `The runner's JSON lines of each step of this demo: ${guide.eventsDir}`,
  ];
}
