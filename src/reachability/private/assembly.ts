import * as fs from 'fs';
import * as path from 'path';

/**
 * Reads a synthesized cloud assembly directory (`cdk.out`): every CloudFormation stack, recursively through nested
 * assemblies (stages), with its environment, template and the construct path of each resource.
 *
 * The manifest is read as JSON instead of through `cx-api`, so that the model depends only on the stable file
 * format: `manifest.json` artifacts of type `aws:cloudformation:stack` (template file, `aws://account/region`
 * environment, metadata inline or in `additionalMetadataFile`) and `cdk:cloud-assembly` (nested directory).
 *
 * @see https://github.com/aws/aws-cdk/tree/main/packages/%40aws-cdk/cloud-assembly-schema
 */

/** One stack of the assembly. */
export interface StackInfo {
  /** The artifact ID, unique in the assembly, e.g. `Prod` or `StageProd1234`. */
  readonly id: string;
  /** The CloudFormation stack name. */
  readonly name: string;
  /** The 12-digit account, or undefined for an environment-agnostic stack. */
  readonly account?: string;
  /** The region, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** The parsed template. */
  readonly template: Template;
  /** Construct path (without leading slash) by logical ID, where the assembly records one. */
  readonly paths: ReadonlyMap<string, string>;
}

/** The parts of a CloudFormation template the model reads. */
export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

const ENV_PATTERN = /^aws:\/\/([^/]+)\/([^/]+)$/;

/** Reads every stack of the assembly in `directory`. Throws when the directory is not a cloud assembly. */
export function readAssembly(directory: string): StackInfo[] {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${directory} is not a cloud assembly: it has no manifest.json. Synthesize the app first (cdk synth, or app.synth()).`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  const stacks: StackInfo[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readAssembly(path.join(directory, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      stacks.push(readStack(directory, id, artifact));
    }
  }
  return stacks;
}

function readStack(directory: string, id: string, artifact: any): StackInfo {
  const template: Template = JSON.parse(fs.readFileSync(path.join(directory, artifact.properties.templateFile), 'utf-8'));
  const env = ENV_PATTERN.exec(artifact.environment ?? '');
  const account = env && /^[0-9]{12}$/.test(env[1]) ? env[1] : undefined;
  const region = env && !env[2].startsWith('unknown-') ? env[2] : undefined;

  const paths = new Map<string, string>();
  let metadata: Record<string, any[]> = artifact.metadata ?? {};
  if (artifact.additionalMetadataFile) {
    const file = path.join(directory, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) {
      metadata = { ...metadata, ...JSON.parse(fs.readFileSync(file, 'utf-8')) };
    }
  }
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries ?? []) {
      if (entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath.replace(/^\//, ''));
      }
    }
  }
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const cdkPath = resource.Metadata?.['aws:cdk:path'];
    if (typeof cdkPath === 'string' && !paths.has(logicalId)) {
      paths.set(logicalId, cdkPath);
    }
  }
  return { id, name: artifact.properties.stackName ?? artifact.displayName ?? id, account, region, template, paths };
}
