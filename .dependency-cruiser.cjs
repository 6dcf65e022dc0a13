// The import boundaries of the tree, checked by `npm run deps` (part of `npm test`).
// Every rule is absolute: there is no baseline of known violations.
//
// Paths are relative to the repository root. An npm package resolves to
// node_modules/<name>/...; an import of a package that is not installed stays as its bare name,
// so the SDK pattern matches both.
const AWS_SDK = '(^|/)node_modules/@aws-sdk/|^@aws-sdk/';
// The sandbox's public modules, the only ones code outside sandbox/ may import.
const SANDBOX_PUBLIC = '^sandbox/(index\\.ts|support/(clients|inventory-fixture)\\.ts)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'stacks-not-to-runner',
      comment:
        'The stacks describe infrastructure; the runner reads their outputs. Whatever both need ' +
        '(the outputs contract, the inventory schema, how IAM reads a policy document in ' +
        'stacks/policy-grammar.ts) lives in stacks/ and the runner imports it.',
      severity: 'error',
      from: { path: '^stacks/' },
      to: { path: '^runner/' },
    },
    {
      name: 'runner-core-is-pure',
      comment:
        'runner/core/ is pure logic with no I/O: it never imports runner/aws/ or the AWS SDK. ' +
        'Pass it data; do the I/O in runner/aws/ or an engine.',
      severity: 'error',
      from: { path: '^runner/core/' },
      to: { path: [`^runner/aws/`, AWS_SDK] },
    },
    {
      name: 'only-runner-aws-imports-sdk',
      comment:
        'Within runner/, only runner/aws/ imports @aws-sdk/*: one narrow module per service, so ' +
        'retries, errors and endpoints are handled in one place.',
      severity: 'error',
      from: { path: '^runner/', pathNot: '^runner/aws/' },
      to: { path: AWS_SDK },
    },
    {
      name: 'sandbox-not-to-product',
      comment:
        'The sandbox is a product of its own: it speaks the SDK wire formats and imports nothing ' +
        'from stacks/ or runner/. Wiring the three together belongs outside all of them.',
      severity: 'error',
      from: { path: '^sandbox/' },
      to: { path: '^(stacks|runner)/' },
    },
    {
      name: 'sandbox-public-surface',
      comment:
        'Outside sandbox/, the sandbox is imported only through its public modules: ' +
        'sandbox/index.ts (the product API) and the test fixtures in sandbox/support/ (see the ' +
        'next rule). Anything else is an internal that may change with the sandbox: export what ' +
        'you need from sandbox/index.ts instead.',
      severity: 'error',
      from: { path: '^', pathNot: '^sandbox/' },
      to: { path: `^sandbox/`, pathNot: SANDBOX_PUBLIC },
    },
    {
      name: 'sandbox-support-only-from-tests',
      comment:
        'sandbox/support/ holds Jest fixtures (useSandbox registers beforeAll/afterAll): only the ' +
        "sandbox's own tests and test/ use them, never the rehearsal, benches or product code.",
      severity: 'error',
      from: { pathNot: '^(sandbox|test)/' },
      to: { path: '^sandbox/support/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles: a cycle means two modules are one concept split in two, or a lower ' +
        'layer reaching back up. Move the shared part down.',
      severity: 'error',
      from: { pathNot: '(^|/)node_modules/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // node_modules stays in the graph, unfollowed: excluding it would hide the @aws-sdk/* imports.
    exclude: { path: '^(cdktf\\.out|dist|coverage|\\.gen|\\.sandbox)/' },
    // Type-only imports count too: `import type { S3Client }` in runner/core/ is still a
    // dependency on the SDK's shapes.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
