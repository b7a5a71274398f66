import { Res, Resolver } from './intrinsics';
import { attributeSymbol, awsPrefixListSymbol, containsSymbol, findUnknown, idSymbol, parseSymbol, shortPath, Unknown } from './values';

/**
 * Deploy-time SDK lookups (`AwsCustomResource`, resource type `Custom::AWS`) resolved offline against the assembly.
 *
 * CloudFormation has no cross-account references, so IDs that another account owns are looked up at deployment,
 * e.g. a VPN connection's transit gateway attachment (ARCHITECTURE.md correction 2) or a spoke's VPC attachment
 * seen from the Network account. The call is stored in the `Create`/`Update` property as JSON (inside `Fn::Join`
 * when it holds references); its results are read with `Fn::GetAtt [lookup, 'List.0.Field']`.
 *
 * A resolver, registered by service and action, answers the call from the resources of the assembly: it lists
 * the candidate items (with the fields AWS would return) and the filters it understands. A call that matches
 * several items, none, or depends on something unknown resolves to `Unknown`, never to a guess.
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources.AwsCustomResource.html
 */

/** A parsed `AwsCustomResource` call. */
export interface LookupCall {
  /** Normalised service, e.g. `ec2` (from `EC2`, `@aws-sdk/client-ec2`). */
  readonly service: string;
  /** Normalised action, e.g. `describeTransitGatewayAttachments`. */
  readonly action: string;
  readonly parameters: Record<string, unknown>;
  /** The account the call runs in: the stack's, or the account of `assumedRoleArn`. */
  readonly account?: string;
  /** Where the lookup is, for messages. */
  readonly where: string;
}

/** One item a lookup returns: the fields AWS would return, with IDs as model symbols. */
export type LookupItem = Record<string, unknown>;

/** Resolves one SDK action offline. */
export interface LookupResolver {
  readonly service: string;
  readonly action: string;
  /** The list in the response, e.g. `TransitGatewayAttachments`. */
  readonly listKey: string;
  /** Filter name → the item field it compares, e.g. `resource-id` → `ResourceId`. */
  readonly filters: Record<string, string>;
  /** Request parameters that list IDs, e.g. `TransitGatewayIds` → `TransitGatewayId`. */
  readonly idParameters: Record<string, string>;
  /** The items the call could return, before filtering (visibility from `call.account` applied). */
  candidates(call: LookupCall, resolver: Resolver): LookupItem[];
}

/** Request parameters that do not change which items are returned. */
const IGNORED_PARAMETERS = new Set(['MaxResults', 'NextToken', 'DryRun']);

/** Lookup resolvers by `service.action`. */
export class LookupRegistry {
  private readonly resolvers = new Map<string, LookupResolver>();
  private readonly adapters = new Map<string, LookupAdapter>();

  /** Adds (or replaces) the resolver of a service and action. */
  public register(resolver: LookupResolver): this {
    this.resolvers.set(`${normaliseService(resolver.service)}.${normaliseAction(resolver.action)}`, resolver);
    return this;
  }

  /** Adds (or replaces) the adapter of custom resource types that perform a lookup described by their properties. */
  public registerAdapter(adapter: LookupAdapter): this {
    adapter.resourceTypes.forEach((type) => this.adapters.set(type, adapter));
    return this;
  }

  public find(service: string, action: string): LookupResolver | undefined {
    return this.resolvers.get(`${service}.${action}`);
  }

  public adapterFor(resourceType: string): LookupAdapter | undefined {
    return this.adapters.get(resourceType);
  }
}

/** `EC2`, `ec2`, `@aws-sdk/client-ec2` → `ec2`. */
export function normaliseService(service: string): string {
  return service.replace(/^@aws-sdk\/client-/, '').replace(/-/g, '').toLowerCase();
}

/** `DescribeTransitGateways`, `describeTransitGateways`, `DescribeTransitGatewaysCommand` → `describeTransitGateways`. */
export function normaliseAction(action: string): string {
  const a = action.replace(/Command$/, '');
  return a.charAt(0).toLowerCase() + a.slice(1);
}

/** Parses the resolved `Create` (or `Update`) property of a `Custom::AWS` resource. */
export function parseLookupCall(res: Res, resolver: Resolver): LookupCall | Unknown {
  const where = `${shortPath(res.path)} (${res.type})`;
  const raw = resolver.prop(res, res.props.Create !== undefined ? 'Create' : 'Update');
  if (raw instanceof Unknown) {
    return new Unknown(`the SDK call of lookup ${where} depends on a value not known offline: ${raw.reason}`);
  }
  let call: any;
  try {
    call = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return new Unknown(`the SDK call of lookup ${where} is not valid JSON`);
  }
  if (!call || typeof call.service !== 'string' || typeof call.action !== 'string') {
    return new Unknown(`lookup ${where} has no service and action; it is not an AwsCustomResource call`);
  }
  const roleAccount = typeof call.assumedRoleArn === 'string' ? /^arn:[^:]+:iam::([0-9]{12}):/.exec(call.assumedRoleArn)?.[1] : undefined;
  return {
    service: normaliseService(call.service),
    action: normaliseAction(call.action),
    parameters: call.parameters ?? {},
    account: roleAccount ?? res.stack.account,
    where,
  };
}

/**
 * The value of `Fn::GetAtt [lookup, attributePath]`, e.g. `TransitGatewayAttachments.0.TransitGatewayAttachmentId`.
 */
export function resolveLookupAttribute(res: Res, attributePath: string, resolver: Resolver, registry: LookupRegistry): unknown {
  const call = parseLookupCall(res, resolver);
  if (call instanceof Unknown) {
    return call;
  }
  const lookup = registry.find(call.service, call.action);
  if (!lookup) {
    return unsupported(call);
  }
  const [listKey, indexText, ...fieldPath] = attributePath.split('.');
  if (listKey !== lookup.listKey || !/^[0-9]+$/.test(indexText ?? '') || fieldPath.length === 0) {
    return new Unknown(`lookup ${call.where} is read at ${attributePath}, which is not ${lookup.listKey}.<index>.<field>`);
  }
  return answer(call, lookup, Number(indexText), fieldPath, res, attributePath, resolver);
}

/**
 * A custom resource of the library's own resolver (or any provider) that performs one SDK lookup, described by its
 * properties instead of an `AwsCustomResource` call: the adapter translates the properties into the call and names
 * the field of the single result that the resource returns (as its `Ref` and its `Id` attribute).
 */
export interface LookupAdapter {
  /** The custom resource types it reads, e.g. `Custom::TransitGatewayVpnAttachment`. */
  readonly resourceTypes: string[];
  /** The equivalent call, or undefined when the properties are not a call this adapter knows. */
  toCall(props: Record<string, unknown>): { service: string; action: string; parameters: Record<string, unknown>; idField: string } | undefined;
}

/** The value of `Ref` or `Fn::GetAtt [resource, 'Id']` on a custom resource read by an adapter, or undefined when none applies. */
export function resolveAdaptedLookup(res: Res, attribute: string, resolver: Resolver, registry: LookupRegistry): unknown {
  const adapter = registry.adapterFor(res.type);
  if (!adapter) {
    return undefined;
  }
  const props = resolver.resolve(res.stack, res.props) as Record<string, unknown>;
  const spec = adapter.toCall(props);
  if (!spec) {
    return undefined;
  }
  const call: LookupCall = {
    service: normaliseService(spec.service),
    action: normaliseAction(spec.action),
    parameters: spec.parameters,
    account: res.stack.account,
    where: `${shortPath(res.path)} (${res.type})`,
  };
  if (attribute !== 'Id' && attribute !== '') {
    return new Unknown(`lookup ${call.where} returns its result as Id; ${attribute} is only known at deployment`);
  }
  const lookup = registry.find(call.service, call.action);
  return lookup ? answer(call, lookup, 0, [spec.idField], res, attribute || 'Ref', resolver) : unsupported(call);
}

function unsupported(call: LookupCall): Unknown {
  return new Unknown(`lookup ${call.where} calls ${call.service}:${call.action}, which the reachability model does not resolve offline; ` +
    'its result is only known at deployment');
}

function answer(call: LookupCall, lookup: LookupResolver, index: number, fieldPath: string[], res: Res, attributePath: string,
  resolver: Resolver): unknown {
  const unknown = findUnknown(call.parameters);
  if (unknown) {
    return new Unknown(`lookup ${call.where} filters on a value not known offline: ${unknown.reason}`);
  }
  const items = filterItems(call, lookup, resolver);
  if (items instanceof Unknown) {
    return items;
  }
  if (items.length === 0) {
    return new Unknown(`lookup ${call.where} (${call.service}:${call.action} ${describeFilters(call)}) finds nothing in this assembly; ` +
      'the deployment would fail or read an empty result');
  }
  if (items.length > 1) {
    return new Unknown(`lookup ${call.where} (${call.service}:${call.action} ${describeFilters(call)}) matches ${items.length} resources of this assembly ` +
      `(${items.map((i) => describeItem(i, resolver)).join(', ')}); AWS returns them in no defined order, so ${attributePath} is ambiguous`);
  }
  if (index !== 0) {
    return new Unknown(`lookup ${call.where} finds 1 item, so ${attributePath} does not exist`);
  }
  let value: unknown = items[0];
  for (const field of fieldPath) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  }
  return value === undefined ? attributeSymbol(res.key, attributePath) : value;
}

function filterItems(call: LookupCall, lookup: LookupResolver, resolver: Resolver): LookupItem[] | Unknown {
  const tests: Array<{ field: string; values: unknown[]; name: string }> = [];
  for (const [name, value] of Object.entries(call.parameters)) {
    if (name === 'Filters') {
      for (const filter of (Array.isArray(value) ? value : []) as Array<{ Name?: unknown; Values?: unknown }>) {
        const filterName = String(filter.Name);
        const field = filterName.startsWith('tag:') ? filterName : lookup.filters[filterName];
        if (!field) {
          return new Unknown(`lookup ${call.where} filters on ${filterName}, which the offline resolver of ${call.action} does not understand`);
        }
        tests.push({ field, values: Array.isArray(filter.Values) ? filter.Values : [], name: filterName });
      }
    } else if (lookup.idParameters[name]) {
      tests.push({ field: lookup.idParameters[name], values: Array.isArray(value) ? value : [value], name });
    } else if (!IGNORED_PARAMETERS.has(name)) {
      return new Unknown(`lookup ${call.where} passes parameter ${name}, which the offline resolver of ${call.action} does not understand`);
    }
  }
  const unknown = findUnknown(tests.map((t) => t.values));
  if (unknown) {
    return new Unknown(`lookup ${call.where} filters on a value not known offline: ${unknown.reason}`);
  }
  const result: LookupItem[] = [];
  for (const item of lookup.candidates(call, resolver)) {
    // A definite mismatch on any filter excludes the item, even when another filter cannot be evaluated.
    let excluded = false;
    let undecided: Unknown | undefined;
    for (const test of tests) {
      const actual = test.field.startsWith('tag:') ? tagValue(item, test.field.slice(4)) : fieldValue(item, test.field);
      if (actual instanceof Unknown) {
        undecided = undecided ?? new Unknown(`lookup ${call.where} cannot tell whether ${describeItem(item, resolver)} matches ${test.name}: ${actual.reason}`);
      } else if (!test.values.some((v) => matchesFilterValue(actual, v))) {
        excluded = true;
        break;
      }
    }
    if (excluded) {
      continue;
    }
    if (undecided) {
      return undecided;
    }
    result.push(item);
  }
  return result;
}

function fieldValue(item: LookupItem, field: string): unknown {
  let value: unknown = item;
  for (const part of field.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function tagValue(item: LookupItem, key: string): unknown {
  const tags = item.Tags;
  if (tags instanceof Unknown) {
    return tags;
  }
  const tag = (Array.isArray(tags) ? tags : []).find((t: any) => t?.Key === key);
  return tag ? (tag as { Value?: unknown }).Value : undefined;
}

/** AWS filter values match exactly, with `*` and `?` wildcards. Symbols (deploy-time IDs) match only themselves. */
function matchesFilterValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual !== 'string' || typeof expected !== 'string') {
    return actual === expected;
  }
  if (containsSymbol(expected) || containsSymbol(actual) || !/[*?]/.test(expected)) {
    return actual === expected;
  }
  const pattern = new RegExp('^' + expected.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return pattern.test(actual);
}

function describeFilters(call: LookupCall): string {
  return JSON.stringify(call.parameters);
}

function describeItem(item: LookupItem, resolver: Resolver): string {
  const id = Object.values(item).find((v) => parseSymbol(v));
  const symbol = parseSymbol(id);
  return symbol ? (resolver.resource(symbol.key) ? shortPath(resolver.resource(symbol.key)!.path) : undefined) ?? String(id) : JSON.stringify(item);
}

/** The canonical ID of the transit gateway attachment of a VPN connection (CloudFormation does not return it). */
export function vpnAttachmentId(vpnKey: string): string {
  return attributeSymbol(vpnKey, 'TransitGatewayAttachmentId');
}

const VPC_ATTACHMENT_TYPES = ['AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::TransitGatewayAttachment'];

function ofTypes(resolver: Resolver, types: string[]): Res[] {
  return resolver.allResources().filter((r) => types.includes(r.type) && resolver.exists(r) !== false);
}

/** The account that owns the transit gateway with this ID, when it is a resource of the assembly. */
function tgwOwner(resolver: Resolver, tgwId: unknown): unknown {
  if (tgwId instanceof Unknown) {
    return tgwId;
  }
  const symbol = parseSymbol(tgwId);
  const tgw = symbol && !symbol.attribute ? resolver.resource(symbol.key) : undefined;
  return tgw?.type === 'AWS::EC2::TransitGateway' ? tgw.stack.account : new Unknown(`transit gateway ${String(tgwId)} is not in this assembly`);
}

/** Items of `describeTransitGatewayAttachments`: every VPC attachment and every VPN connection on a transit gateway. */
function attachmentItems(resolver: Resolver): LookupItem[] {
  const items: LookupItem[] = [];
  for (const res of ofTypes(resolver, VPC_ATTACHMENT_TYPES)) {
    const tgwId = resolver.prop(res, 'TransitGatewayId');
    items.push({
      TransitGatewayAttachmentId: idSymbol(res.key),
      TransitGatewayId: tgwId,
      TransitGatewayOwnerId: tgwOwner(resolver, tgwId),
      ResourceOwnerId: res.stack.account ?? new Unknown(`stack ${res.stack.name} is environment-agnostic`),
      ResourceType: 'vpc',
      ResourceId: resolver.prop(res, 'VpcId'),
      State: 'available',
      Tags: resolver.prop(res, 'Tags'),
    });
  }
  for (const res of ofTypes(resolver, ['AWS::EC2::VPNConnection'])) {
    if (res.props.TransitGatewayId === undefined) {
      continue;
    }
    const tgwId = resolver.prop(res, 'TransitGatewayId');
    items.push({
      TransitGatewayAttachmentId: vpnAttachmentId(res.key),
      TransitGatewayId: tgwId,
      TransitGatewayOwnerId: tgwOwner(resolver, tgwId),
      ResourceOwnerId: res.stack.account ?? new Unknown(`stack ${res.stack.name} is environment-agnostic`),
      ResourceType: 'vpn',
      ResourceId: idSymbol(res.key),
      State: 'available',
      // The VPN attachment carries no tags of its own at creation.
      Tags: [],
    });
  }
  return items;
}

/** An attachment is visible to the account that owns the attached resource and to the transit gateway's owner. */
function visibleTo(account: string | undefined, item: LookupItem): boolean {
  return account === undefined || item.ResourceOwnerId === account || item.TransitGatewayOwnerId === account
    || item.ResourceOwnerId instanceof Unknown || item.TransitGatewayOwnerId instanceof Unknown;
}

/**
 * EC2 `DescribeTransitGatewayAttachments`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 */
export const DESCRIBE_TRANSIT_GATEWAY_ATTACHMENTS: LookupResolver = {
  service: 'ec2',
  action: 'describeTransitGatewayAttachments',
  listKey: 'TransitGatewayAttachments',
  candidates: (call, resolver) => attachmentItems(resolver).filter((i) => visibleTo(call.account, i)),
  filters: {
    'transit-gateway-attachment-id': 'TransitGatewayAttachmentId',
    'transit-gateway-id': 'TransitGatewayId',
    'transit-gateway-owner-id': 'TransitGatewayOwnerId',
    'resource-owner-id': 'ResourceOwnerId',
    'resource-type': 'ResourceType',
    'resource-id': 'ResourceId',
    'state': 'State',
  },
  idParameters: { TransitGatewayAttachmentIds: 'TransitGatewayAttachmentId' },
};

/**
 * EC2 `DescribeTransitGatewayVpcAttachments`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayVpcAttachments.html
 */
export const DESCRIBE_TRANSIT_GATEWAY_VPC_ATTACHMENTS: LookupResolver = {
  service: 'ec2',
  action: 'describeTransitGatewayVpcAttachments',
  listKey: 'TransitGatewayVpcAttachments',
  candidates: (call, resolver) => attachmentItems(resolver)
    .filter((i) => i.ResourceType === 'vpc' && visibleTo(call.account, i))
    .map((i) => ({
      TransitGatewayAttachmentId: i.TransitGatewayAttachmentId,
      TransitGatewayId: i.TransitGatewayId,
      VpcId: i.ResourceId,
      VpcOwnerId: i.ResourceOwnerId,
      State: i.State,
      Tags: i.Tags,
      ResourceOwnerId: i.ResourceOwnerId,
      TransitGatewayOwnerId: i.TransitGatewayOwnerId,
    })),
  filters: {
    'transit-gateway-attachment-id': 'TransitGatewayAttachmentId',
    'transit-gateway-id': 'TransitGatewayId',
    'vpc-id': 'VpcId',
    'state': 'State',
  },
  idParameters: { TransitGatewayAttachmentIds: 'TransitGatewayAttachmentId' },
};

/**
 * EC2 `DescribeTransitGateways`. Transit gateways shared through AWS RAM are visible in the accounts they are shared
 * with; the model does not check the share itself.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGateways.html
 */
export const DESCRIBE_TRANSIT_GATEWAYS: LookupResolver = {
  service: 'ec2',
  action: 'describeTransitGateways',
  listKey: 'TransitGateways',
  candidates: (_call, resolver) => ofTypes(resolver, ['AWS::EC2::TransitGateway']).map((res) => ({
    TransitGatewayId: idSymbol(res.key),
    TransitGatewayArn: attributeSymbol(res.key, 'TransitGatewayArn'),
    OwnerId: res.stack.account ?? new Unknown(`stack ${res.stack.name} is environment-agnostic`),
    State: 'available',
    Tags: resolver.prop(res, 'Tags'),
  })),
  filters: { 'owner-id': 'OwnerId', 'transit-gateway-id': 'TransitGatewayId', 'state': 'State' },
  idParameters: { TransitGatewayIds: 'TransitGatewayId' },
};

const AWS_PREFIX_LIST_NAME = /^com\.amazonaws\.[a-z0-9-]+\.[a-z0-9.-]+$/;

/**
 * EC2 `DescribePrefixLists` for AWS-managed prefix lists (`com.amazonaws.<region>.s3`, `…dynamodb`): they are not in
 * the assembly, so the lookup returns a symbol that stands for "the public addresses of that service". A security group
 * rule or route towards it never matches a private address.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribePrefixLists.html
 */
export const DESCRIBE_PREFIX_LISTS: LookupResolver = {
  service: 'ec2',
  action: 'describePrefixLists',
  listKey: 'PrefixLists',
  filters: { 'prefix-list-name': 'PrefixListName', 'prefix-list-id': 'PrefixListId' },
  idParameters: { PrefixListIds: 'PrefixListId' },
  candidates: (call) => {
    const filters = (Array.isArray(call.parameters.Filters) ? call.parameters.Filters : []) as Array<{ Name?: unknown; Values?: unknown }>;
    const names = filters.filter((f) => f.Name === 'prefix-list-name').flatMap((f) => (Array.isArray(f.Values) ? f.Values : []))
      .filter((n): n is string => typeof n === 'string' && AWS_PREFIX_LIST_NAME.test(n));
    return names.map((name) => ({ PrefixListId: awsPrefixListSymbol(name), PrefixListName: name }));
  },
};

/**
 * The lookups of the transit hub's own resolver (`src/transit-hub/private/resolver.ts`): one custom resource per
 * lookup, its `Operation` property naming the call, the resolved ID as its physical ID and `Id` attribute.
 */
export const TRANSIT_HUB_RESOLVER: LookupAdapter = {
  resourceTypes: ['Custom::SharedTransitGatewayLookup', 'Custom::TransitGatewayVpnAttachment', 'Custom::TransitGatewaySpokeAttachment'],
  toCall: (p) => {
    const live = ['pendingAcceptance', 'pending', 'available', 'modifying'];
    switch (p.Operation) {
      case 'TransitGateway':
        return {
          service: 'ec2',
          action: 'describeTransitGateways',
          idField: 'TransitGatewayId',
          parameters: { Filters: [{ Name: 'owner-id', Values: [p.OwnerAccount] }, { Name: 'state', Values: ['available'] }] },
        };
      case 'VpnAttachment':
        return {
          service: 'ec2',
          action: 'describeTransitGatewayAttachments',
          idField: 'TransitGatewayAttachmentId',
          parameters: {
            Filters: [{ Name: 'resource-id', Values: [p.VpnConnectionId] }, { Name: 'transit-gateway-id', Values: [p.TransitGatewayId] },
              { Name: 'resource-type', Values: ['vpn'] }, { Name: 'state', Values: live }],
          },
        };
      case 'SpokeAttachment':
        return {
          service: 'ec2',
          action: 'describeTransitGatewayAttachments',
          idField: 'TransitGatewayAttachmentId',
          parameters: {
            Filters: [{ Name: 'transit-gateway-id', Values: [p.TransitGatewayId] }, { Name: 'resource-type', Values: ['vpc'] },
              { Name: 'resource-owner-id', Values: [p.OwnerAccount] }, { Name: 'state', Values: live },
              ...(p.VpcId !== undefined ? [{ Name: 'resource-id', Values: [p.VpcId] }] : [])],
          },
        };
      default:
        return undefined;
    }
  },
};

/** A registry with the built-in resolvers and adapters. */
export function defaultLookupRegistry(): LookupRegistry {
  return new LookupRegistry()
    .register(DESCRIBE_TRANSIT_GATEWAY_ATTACHMENTS)
    .register(DESCRIBE_TRANSIT_GATEWAY_VPC_ATTACHMENTS)
    .register(DESCRIBE_TRANSIT_GATEWAYS)
    .register(DESCRIBE_PREFIX_LISTS)
    .registerAdapter(TRANSIT_HUB_RESOLVER);
}
