/**
 * Reads a synthesized cloud assembly (cdk.out) into the stacks in deployment order, for the summary, the
 * cfn-lint run and the benchmark. Only the manifest and the templates are read; nothing is synthesized here.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One stack of the assembly. */
export interface StackInfo {
  /** The artifact ID (the stack's construct ID at the app level). */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly description?: string;
  /** Stack artifacts this one depends on (deploys after). */
  readonly dependencies: string[];
  readonly templatePath: string;
  readonly templateBytes: number;
  readonly template: any;
}

/**
 * The stacks of the assembly in a deployment order that respects every dependency (Kahn's algorithm, ties broken
 * by manifest order). Throws on a dependency cycle, which CDK itself would also reject.
 */
export function readAssembly(dir: string): StackInfo[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const stacks: StackInfo[] = [];
  for (const [name, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') {
      continue;
    }
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const templatePath = path.join(dir, artifact.properties.templateFile);
    const text = fs.readFileSync(templatePath, 'utf8');
    const template = JSON.parse(text);
    stacks.push({
      name,
      account: env?.[1] ?? 'unknown-account',
      region: env?.[2] ?? 'unknown-region',
      description: template.Description,
      // Asset manifests are artifacts too; keep stack-to-stack dependencies only.
      dependencies: (artifact.dependencies ?? []).filter((d: string) => artifacts[d]?.type === 'aws:cloudformation:stack'),
      templatePath,
      templateBytes: Buffer.byteLength(text),
      template,
    });
  }
  return deploymentOrder(stacks);
}

function deploymentOrder(stacks: StackInfo[]): StackInfo[] {
  const remaining = [...stacks];
  const done = new Set<string>();
  const ordered: StackInfo[] = [];
  while (remaining.length > 0) {
    const index = remaining.findIndex((s) => s.dependencies.every((d) => done.has(d)));
    if (index < 0) {
      throw new Error(`dependency cycle among ${remaining.map((s) => s.name).join(', ')}`);
    }
    const [next] = remaining.splice(index, 1);
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}
