// The demo's last lines: the commands to try on its result, kept or not.
import { exportLine, guideLines } from '../../rehearsal/demo-guide';

const guide = {
  endpoint: 'http://127.0.0.1:4599',
  region: 'us-east-1',
  stack: 'demo',
  outputsFile: '/tmp/d/outputs.json',
  eventsDir: '/tmp/d/events',
  kept: true,
};

describe('the demo guide', () => {
  it('names the endpoint, the status and report commands and the JSON lines while the sandbox is kept', () => {
    expect(guideLines(guide)).toEqual([
      'The sandbox keeps running on http://127.0.0.1:4599 until Ctrl-C. In another terminal, try:',
      `  ${exportLine('http://127.0.0.1:4599', 'us-east-1')}`,
      '  npm run migrate -- status --stack demo --outputs-file /tmp/d/outputs.json',
      '  npm run migrate -- report --stack demo --outputs-file /tmp/d/outputs.json --format html --out demo-report.html',
      "The runner's JSON lines of each step of this demo: /tmp/d/events",
    ]);
  });

  it('says how to keep the sandbox next time, with the same commands, when it is not kept', () => {
    const lines = guideLines({ ...guide, kept: false });
    expect(lines[1]).toBe('  npm run demo -- --keep');
    expect(lines).toContain('  npm run migrate -- status --stack demo --outputs-file <the folder it prints>/outputs.json');
    expect(lines.join('\n')).not.toContain('/tmp/d/outputs.json');
  });

  it('exports the endpoint, credentials and Region in one line', () => {
    expect(exportLine('http://127.0.0.1:1', 'eu-west-1')).toBe(
      'export AWS_ENDPOINT_URL=http://127.0.0.1:1 AWS_ACCESS_KEY_ID=AKIDSANDBOXDEMO AWS_SECRET_ACCESS_KEY=sandbox-demo-secret AWS_REGION=eu-west-1',
    );
  });
});
