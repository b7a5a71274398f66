/**
 * The deploy-time lookup handler the plain aws-cdk-lib baselines inline into their Lambda functions: what a team
 * without the library would write for the same three lookups (the transit gateway shared with a spoke account, a VPN
 * connection's transit gateway attachment, a spoke's VPC attachment, accepted and waited for). Shorter than the
 * library's handler (no waiting for the spoke to appear, terser messages); the benchmark only synthesizes it.
 */
export const BASELINE_RESOLVER_CODE = `'use strict';
const https = require('https');
const { EC2Client, DescribeTransitGatewaysCommand, DescribeTransitGatewayAttachmentsCommand, AcceptTransitGatewayVpcAttachmentCommand } = require('@aws-sdk/client-ec2');
const ec2 = new EC2Client({});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function attachments(filters) {
  const out = await ec2.send(new DescribeTransitGatewayAttachmentsCommand({ Filters: filters }));
  return out.TransitGatewayAttachments || [];
}
async function available(id) {
  for (;;) {
    const [a] = await attachments([{ Name: 'transit-gateway-attachment-id', Values: [id] }]);
    if (a && a.State === 'available') return id;
    if (!a || ['failed', 'rejected', 'deleted'].includes(a.State)) throw new Error(id + ' is ' + (a ? a.State : 'gone'));
    await sleep(15000);
  }
}
async function resolve(p) {
  if (p.Operation === 'TransitGateway') {
    const out = await ec2.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: 'owner-id', Values: [p.OwnerAccount] }, { Name: 'state', Values: ['available'] }] }));
    if ((out.TransitGateways || []).length !== 1) throw new Error('expected one transit gateway shared by ' + p.OwnerAccount);
    return out.TransitGateways[0].TransitGatewayId;
  }
  const filters = [{ Name: 'transit-gateway-id', Values: [p.TransitGatewayId] }];
  if (p.Operation === 'VpnAttachment') filters.push({ Name: 'resource-id', Values: [p.VpnConnectionId] }, { Name: 'resource-type', Values: ['vpn'] });
  else filters.push({ Name: 'resource-owner-id', Values: [p.OwnerAccount] }, { Name: 'resource-type', Values: ['vpc'] });
  const found = (await attachments(filters)).filter((a) => !['deleted', 'deleting', 'failed', 'rejected'].includes(a.State));
  if (found.length !== 1) throw new Error('expected one attachment for ' + p.Name + ', found ' + found.length);
  if (found[0].State === 'pendingAcceptance' && p.Accept === 'true') {
    await ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: found[0].TransitGatewayAttachmentId }));
  }
  return available(found[0].TransitGatewayAttachmentId);
}
function respond(event, body) {
  const data = JSON.stringify(body);
  const url = new URL(event.ResponseURL);
  return new Promise((ok, fail) => {
    const req = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(data) } }, (r) => { r.resume(); r.on('end', ok); });
    req.on('error', fail);
    req.end(data);
  });
}
exports.handler = async (event) => {
  let status = 'SUCCESS', reason = 'OK', id = event.PhysicalResourceId;
  try { if (event.RequestType !== 'Delete') id = await resolve(event.ResourceProperties); }
  catch (e) { status = 'FAILED'; reason = String(e.message || e).slice(0, 2000); }
  await respond(event, { Status: status, Reason: reason, PhysicalResourceId: id || event.LogicalResourceId, StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: status === 'SUCCESS' ? { Id: id } : {} });
};
`;
