import type { FlowCheck, Violation } from '../intent';
import type { ModelIssue, PathResult } from '../types';

/** Text renderers of the verification report. */

const LEGEND = [
  'Cells list the destination ports that are not blocked: 443 tcp, u53 udp, i8 icmp type.',
  '  443 allowed both ways   443~ partly allowed   443? unknown   443> one-way (delivered, replies dropped)',
  '  443x declared but blocked   ! violation   . nothing open',
];

/** The matrix of sources (rows) × destinations (columns). */
export function renderMatrix(endpoints: readonly string[], checks: readonly FlowCheck[]): string {
  const index = new Map(endpoints.map((e, i) => [e, i]));
  const cells: string[][] = endpoints.map(() => endpoints.map(() => ''));
  const tokens = new Map<string, string[]>();
  for (const c of checks) {
    if (!index.has(c.source) || !index.has(c.destination) || c.layer !== 'end-to-end') {
      continue;
    }
    const token = cellToken(c);
    if (token) {
      const k = `${c.source}|${c.destination}`;
      tokens.set(k, [...(tokens.get(k) ?? []), token]);
    }
  }
  endpoints.forEach((s, i) => endpoints.forEach((d, j) => {
    cells[i][j] = i === j ? '-' : (tokens.get(`${s}|${d}`) ?? []).join(',') || '.';
  }));
  const rowLabels = endpoints.map((e, i) => `${i + 1} ${e}`);
  const labelWidth = Math.max('from \\ to'.length, ...rowLabels.map((l) => l.length));
  const widths = endpoints.map((_e, j) => Math.max(String(j + 1).length, ...cells.map((row) => row[j].length)));
  const line = (label: string, values: string[]) => `${label.padEnd(labelWidth)} | ${values.map((v, j) => v.padEnd(widths[j])).join(' | ')}`.trimEnd();
  return [
    line('from \\ to', endpoints.map((_e, j) => String(j + 1))),
    `${'-'.repeat(labelWidth)}-+-${widths.map((w) => '-'.repeat(w)).join('-+-')}`,
    ...rowLabels.map((label, i) => line(label, cells[i])),
    '',
    ...LEGEND,
  ].join('\n');
}

function cellToken(c: FlowCheck): string | undefined {
  const prefix = c.protocol === 'udp' ? 'u' : c.protocol === 'icmp' ? 'i' : '';
  let suffix: string;
  switch (c.result.verdict) {
    case 'allowed': suffix = ''; break;
    case 'partial': suffix = '~'; break;
    case 'unknown': suffix = '?'; break;
    default:
      if (c.result.forwardVerdict !== 'blocked') {
        suffix = c.result.forwardVerdict === 'unknown' ? '?' : '>';
      } else if (c.expectation === 'allowed') {
        suffix = 'x';
      } else {
        return undefined;
      }
  }
  return `${c.violation ? '!' : ''}${prefix}${c.port}${suffix}`;
}

/**
 * The flows declared with `allow` or `deny` that involve an endpoint outside the matrix (typically route-level denies
 * between whole VPCs and subnets), and every flow denied at one layer, one line per source → destination pair (and
 * layer) with its ports and whether it holds. Empty when every declared flow is an end-to-end flow between matrix
 * endpoints.
 */
export function renderOutsideMatrix(matrixEndpoints: readonly string[], checks: readonly FlowCheck[]): string {
  const inMatrix = new Set(matrixEndpoints);
  const groups = new Map<string, FlowCheck[]>();
  for (const c of checks) {
    if (inMatrix.has(c.source) && inMatrix.has(c.destination) && c.layer === 'end-to-end') {
      continue;
    }
    const k = `${c.expectation}|${c.layer}|${c.source}|${c.destination}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  if (groups.size === 0) {
    return '';
  }
  const rows = [...groups.values()].map((cs) => {
    const c = cs[0];
    const violated = cs.filter((x) => x.violation).length;
    const allowed = c.expectation === 'allowed';
    const status = violated === 0 ? (allowed ? 'allowed' : 'blocked') : `VIOLATED on ${violated} of ${cs.length}`;
    const verb = allowed ? 'allow' : c.layer === 'end-to-end' ? 'deny' : `deny [${c.layer}]`;
    return [verb, `${c.source} → ${c.destination}`, portsText(cs), `${status}${c.description ? ` (${c.description})` : ''}`];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const flows = [...groups.values()].reduce((n, cs) => n + cs.length, 0);
  return [
    `Declared flows outside the matrix and layer denies (${groups.size} groups, ${flows} flows):`,
    ...rows.map((r) => `  ${r.slice(0, 3).map((x, i) => x.padEnd(widths[i])).join('  ')}  ${r[3]}`),
  ].join('\n');
}

/** `tcp 22,443 udp 53`. */
function portsText(checks: readonly FlowCheck[]): string {
  const byProtocol = new Map<string, number[]>();
  for (const c of checks) {
    byProtocol.set(c.protocol, [...(byProtocol.get(c.protocol) ?? []), c.port]);
  }
  return [...byProtocol.entries()].map(([protocol, ports]) => `${protocol} ${[...new Set(ports)].sort((a, b) => a - b).join(',')}`).join(' ');
}

/** Every violation with up to `maxPaths` paths, hop by hop. */
export function renderViolations(violations: readonly Violation[], maxPaths = 2): string {
  if (violations.length === 0) {
    return 'Violations: none.';
  }
  const out = [`Violations (${violations.length}):`];
  violations.forEach((v, i) => {
    out.push(`${i + 1}. [${v.kind}] ${v.message}${v.description ? ` (${v.description})` : ''}`);
    const relevant = v.paths.filter((p) => p.verdict !== 'allowed' || v.kind.startsWith('undeclared'));
    const shown = (relevant.length > 0 ? relevant : v.paths).slice(0, maxPaths);
    shown.forEach((p) => out.push(...renderPath(p).map((l) => `   ${l}`)));
    if (v.paths.length > shown.length) {
      out.push(`   (${v.paths.length - shown.length} more path${v.paths.length - shown.length === 1 ? '' : 's'})`);
    }
  });
  return out.join('\n');
}

/** One path, hop by hop. */
export function renderPath(p: PathResult): string[] {
  const lines = [`path ${p.sourceAddresses.join(', ')} → ${p.destinationAddresses.join(', ')}: ${p.verdict} (forward ${p.forwardVerdict})`];
  for (const h of p.hops) {
    lines.push(`  ${h.direction.padEnd(7)} ${h.kind.padEnd(27)} ${h.verdict.padEnd(7)} ${h.resource}: ${h.detail}`);
  }
  if (p.hops.length === 0 && p.reason) {
    lines.push(`  ${p.reason}`);
  }
  return lines;
}

/** The model's unresolved values and types not modelled. */
export function renderIssues(issues: readonly ModelIssue[]): string {
  if (issues.length === 0) {
    return 'Model issues: none (every network value resolved offline).';
  }
  return [`Model issues (${issues.length}; queries that depend on them answer unknown):`,
    ...issues.map((i) => `  - [${i.kind}] ${i.resource} (${i.resourceType})${i.property ? ` ${i.property}` : ''}: ${i.reason}`)].join('\n');
}
