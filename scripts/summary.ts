/**
 * Prints a readable summary of a synthesized cloud assembly: the deployment order (from the stack dependencies),
 * each stack with its account and region, its resource counts by type, the size of its template, and its outputs.
 * Fails (exit 1) when a stack references an output of a stack in another account or region (Fn::ImportValue cannot,
 * and this deployment hands every cross-account value over through its typed configuration instead).
 *
 * Usage: tsx scripts/summary.ts <cdk.out directory>
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAssembly, StackInfo } from './assembly';

function main(dir: string): number {
  const stacks = readAssembly(dir);
  const byExport = new Map<string, StackInfo>();
  for (const stack of stacks) {
    for (const output of Object.values(stack.template.Outputs ?? {}) as any[]) {
      const name = output.Export?.Name;
      if (typeof name === 'string') {
        byExport.set(name, stack);
      }
    }
  }

  const lines: string[] = [];
  const problems: string[] = [];
  lines.push(`Cloud assembly: ${stacks.length} stacks in ${path.resolve(dir)}`);
  lines.push('');
  lines.push('Deployment order (a stack deploys after the stacks it depends on):');
  stacks.forEach((s, i) => {
    const deps = s.dependencies.length > 0 ? s.dependencies.join(', ') : '-';
    lines.push(`  ${String(i + 1).padStart(2)}. ${s.name.padEnd(28)} account ${s.account}  ${s.region}  after: ${deps}`);
  });

  let total = 0;
  let largest = { name: '', bytes: 0 };
  for (const stack of stacks) {
    const resources = Object.values(stack.template.Resources ?? {}) as Array<{ Type: string }>;
    total += resources.length;
    if (stack.templateBytes > largest.bytes) {
      largest = { name: stack.name, bytes: stack.templateBytes };
    }
    const counts = new Map<string, number>();
    for (const r of resources) {
      counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);
    }
    lines.push('');
    lines.push(`${stack.name}: account ${stack.account}, ${stack.region}; ${resources.length} resources, template ${(stack.templateBytes / 1024).toFixed(1)} KiB`);
    if (stack.description) {
      lines.push(`  ${stack.description}`);
    }
    for (const [type, count] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      lines.push(`    ${String(count).padStart(4)}  ${type}`);
    }

    for (const importName of findReferences(stack.template, 'Fn::ImportValue') as string[]) {
      const exporter = byExport.get(importName);
      if (!exporter) {
        problems.push(`${stack.name} imports ${importName}, which no stack of this assembly exports.`);
      } else if (exporter.account !== stack.account || exporter.region !== stack.region) {
        problems.push(`${stack.name} (${stack.account}/${stack.region}) imports ${importName} from ${exporter.name} ` +
          `(${exporter.account}/${exporter.region}): CloudFormation exports do not cross accounts or regions.`);
      }
    }
    // Weak references (the recommended @aws-cdk/core:defaultCrossStackReferences) read another stack's output.
    for (const ref of findReferences(stack.template, 'Fn::GetStackOutput') as Array<Record<string, unknown>>) {
      const source = stacks.find((s) => s.name === ref.StackName);
      if (ref.RoleArn !== undefined || !source || source.account !== stack.account || (ref.Region ?? stack.region) !== stack.region) {
        problems.push(`${stack.name} (${stack.account}/${stack.region}) reads an output of ${String(ref.StackName)} in another account or ` +
          'region: this deployment hands values across accounts through its configuration only.');
      }
    }

    const outputs = Object.entries(stack.template.Outputs ?? {}) as Array<[string, any]>;
    const documented = outputs.filter(([, o]) => !o.Export && o.Description);
    if (documented.length > 0) {
      lines.push('  Outputs:');
      for (const [name, o] of documented) {
        lines.push(`    ${name}: ${o.Description}`);
      }
    }
  }

  lines.push('');
  lines.push(`Total: ${total} resources in ${stacks.length} stacks; largest template ${largest.name} (${(largest.bytes / 1024).toFixed(1)} KiB).`);
  const accounts = [...new Set(stacks.map((s) => s.account))];
  lines.push(`Accounts: ${accounts.join(', ')}.`);
  if (problems.length > 0) {
    lines.push('');
    lines.push('Problems:');
    problems.forEach((p) => lines.push(`  - ${p}`));
  } else {
    lines.push('No cross-account or cross-region reference (Fn::ImportValue, Fn::GetStackOutput).');
  }
  console.log(lines.join('\n'));
  return problems.length > 0 ? 1 : 0;
}

/** Every value of the intrinsic `fn` (e.g. `Fn::ImportValue`, `Fn::GetStackOutput`) in a template. */
export function findReferences(node: unknown, fn: string, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    node.forEach((n) => findReferences(n, fn, found));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === fn) {
        found.push(value);
      } else {
        findReferences(value, fn, found);
      }
    }
  }
  return found;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(path.join(dir, 'manifest.json'))) {
    console.error('usage: tsx scripts/summary.ts <cdk.out directory containing manifest.json>');
    process.exit(2);
  }
  process.exit(main(dir));
}
