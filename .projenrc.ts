import { awscdk, javascript } from 'projen';

// Versions measured together on the project's machines (../shared/TOOLCHAIN.md).
const CDK_VERSION = '2.276.0';
const CONSTRUCTS_VERSION = '10.5.1';
const CDK_CLI_VERSION = '2.1148.1';
const CDK_NAG_VERSION = '3.0.2';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-gov-hybrid-network',
  description:
    'AWS CDK constructs for the hybrid network of Japanese local governments: Transit Gateway segments, ' +
    'Session Manager access into overlapping CIDRs, hybrid private DNS, SFTP backup bridge, secure ECS workloads.',
  keywords: ['cdk', 'awscdk', 'transit-gateway', 'site-to-site-vpn', 'route53-resolver', 'session-manager', 'government', 'lgwan'],
  license: 'Apache-2.0',
  author: 'cdk-gov-hybrid-network maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/example/cdk-gov-hybrid-network.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  stability: 'experimental',

  // Peer dependencies at one pinned minimum version.
  cdkVersion: CDK_VERSION,
  cdkVersionPinning: false,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',

  // jsii targets. One name family: cdk-gov-hybrid-network / cdk_gov_hybrid_network / cdkgovhybridnetwork.
  publishToPypi: {
    distName: 'cdk-gov-hybrid-network',
    module: 'cdk_gov_hybrid_network',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkgovhybridnetwork',
    mavenGroupId: 'io.github.cdk-gov-hybrid-network',
    mavenArtifactId: 'cdk-gov-hybrid-network',
  },
  publishToGo: {
    moduleName: 'github.com/example/cdk-gov-hybrid-network-go',
    packageName: 'cdkgovhybridnetwork',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkGovHybridNetwork',
    packageId: 'CdkGovHybridNetwork',
  },

  // CI is .ci/run on the project's own machines, not GitHub Actions.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,

  devDeps: [
    `cdk-nag@${CDK_NAG_VERSION}`,
    `aws-cdk@${CDK_CLI_VERSION}`,
    'tsx@^4.23.0',
    // jsii 6 bundles TypeScript 6.0; ts-jest does not support TypeScript 7 (npm's latest).
    'typescript@~6.0.0',
    'ts-jest@^29.4.0',
    // The machines run Node 20.
    '@types/node@^20',
  ],

  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Coverage of the library only; examples and scripts are exercised by their own tests.
      collectCoverageFrom: ['src/**/*.ts'],
      testTimeout: 120_000,
    },
  },

  // The dev/test TypeScript config covers tests, the example apps and the scripts as well as src/.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
    exclude: ['node_modules', '**/cdk.out'],
    compilerOptions: {},
  },
  eslintOptions: {
    // Lint with the dev config, which covers src/, test/, examples/ and scripts/ (tsconfig.json is jsii's, src/ only).
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
    dirs: ['src'],
    devdirs: ['test', 'examples', 'scripts', 'bench', 'projenrc'],
    ignorePatterns: ['**/cdk.out/**', '*.js', '*.d.ts', 'node_modules/', '*.generated.ts', 'coverage'],
  },

  gitignore: [
    'cdk.out/',
    '**/cdk.out/',
    '.cdk.staging/',
    'validation-report.json',
    '.venv-cfn-lint/',
  ],
});

// projen adds eslint-import-resolver-typescript unpinned; v4 locks platform-specific optional packages
// (@unrs/resolver-binding-*) that the project's registry lacks, so `npm ci` fails. Pin v3.6.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.0');

for (const pattern of ['/examples/', '/scripts/', '/bench/', '/.ci/', '/tsconfig.dev.json', '/.cfnlintrc.yaml', 'cdk.out/', '/.venv-cfn-lint/']) {
  project.addPackageIgnore(pattern);
}

// Offline-friendly defaults for every CDK CLI call the tasks make.
const cdkEnv = { CDK_DISABLE_CLI_TELEMETRY: 'true' };
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The main job: synthesize the four-account reference deployment offline and print its summary.
project.addTask('example', {
  description: 'Synthesize the reference deployment offline into examples/reference-deployment/cdk.out and print a summary',
  cwd: 'examples/reference-deployment',
  env: cdkEnv,
  steps: [
    { exec: 'rm -rf cdk.out' },
    { exec: 'cdk synth --lookups false --quiet --no-notices --no-version-reporting --output cdk.out' },
    { exec: 'tsx ../../scripts/summary.ts cdk.out' },
  ],
});

// cfn-lint over every synthesized template of the reference deployment.
project.addTask('validate', {
  description: 'Run cfn-lint over every template of the reference deployment (synthesizes it first when missing)',
  env: cdkEnv,
  steps: [
    { exec: 'test -f examples/reference-deployment/cdk.out/manifest.json || npx projen example' },
    { exec: 'tsx scripts/validate.ts examples/reference-deployment/cdk.out' },
  ],
});

// The 120-account topology of seed 001, synthesized and linted like the reference deployment.
project.addTask('example:scale', {
  description: 'Synthesize the 120-account scale example offline into examples/scale-120/cdk.out and print a summary',
  cwd: 'examples/scale-120',
  env: cdkEnv,
  steps: [
    { exec: 'rm -rf cdk.out' },
    { exec: 'cdk synth --lookups false --quiet --no-notices --no-version-reporting --output cdk.out' },
    { exec: 'tsx ../../scripts/summary.ts cdk.out' },
  ],
});
project.addTask('validate:scale', {
  description: 'Run cfn-lint over every template of the 120-account scale example (synthesizes it first when missing)',
  env: cdkEnv,
  steps: [
    { exec: 'test -f examples/scale-120/cdk.out/manifest.json || npx projen example:scale' },
    { exec: 'tsx scripts/validate.ts examples/scale-120/cdk.out' },
  ],
});
// A benchmark script (prints figures, writes bench/results.json), not a timed test.
project.addTask('bench', {
  description: 'Synthesis benchmark: library vs plain aws-cdk-lib, reference and 120-account topologies (bench/results.json)',
  env: cdkEnv,
  exec: 'tsx scripts/bench.ts',
  receiveArgs: true,
});

// The language bindings, end to end: npm, Python, Maven and Go packages and their consumer checks.
project.addTask('bindings:test', {
  description: 'Build the npm, Python, Maven and Go packages and prove each binding end to end (examples/python, examples/java, examples/go); README samples compile under jsii-rosetta',
  exec: 'bash scripts/bindings-test.sh',
});
project.addTask('rosetta', {
  description: 'Compile every TypeScript sample of README.md and of the API docs with jsii-rosetta (fixture rosetta/default.ts-fixture)',
  steps: [{ spawn: 'compile' }, { exec: 'jsii-rosetta extract --strict --compress-tablet=false .jsii' }],
});
project.gitignore.exclude('.jsii.tabl.json', '__pycache__/', '.pytest_cache/', '/examples/java/target/');
project.addPackageIgnore('/rosetta/');

// Offline reachability proof of the reference deployment's access boundaries (ARCHITECTURE.md).
project.addTask('verify', {
  description: "Prove the reference deployment's access boundaries offline: synthesize it in-process, verify the intent of ARCHITECTURE.md, print the matrix; exit 1 on any violation, 2 if it cannot run",
  exec: 'tsx scripts/verify.ts',
  receiveArgs: true,
});

project.synth();
