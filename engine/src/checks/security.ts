/**
 * Statements IAM accepts that grant far more than they seem to: passing any role, and Allow
 * with NotAction or NotResource.
 */
import { parseArn } from '../arn';
import type { Catalog } from '../catalog';
import { finding, type Report } from '../findings';
import { findProperty } from '../model';
import { wildcardPattern, type StatementInfo } from '../statements';
import { inside } from './actions';

export function checkSecurity(infos: readonly StatementInfo[], catalog: Catalog | undefined): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    if (info.effect !== 'Allow') continue;
    if (info.resourceElement === 'Resource') broadResources(info, catalog, findings);
    const everyResource = info.resourceElement === 'Resource' && info.resources.some((node) => node.value === '*');
    if (info.actionElement === 'Action' && everyResource) {
      const passRole = info.actions.find((entry) => entry.vendor === 'iam' && entry.name !== undefined && wildcardPattern(entry.name).test('PassRole'));
      if (passRole !== undefined) {
        findings.push(finding('passrole-wildcard', `${JSON.stringify(passRole.text)} on Resource "*" lets the holder pass any role, and its permissions, to a service: name the roles (arn:aws:iam::123456789012:role/NAME) or add an iam:PassedToService condition.`, ...inside(passRole.node)));
      }
    }
    if (info.actionElement === 'NotAction' && everyResource) {
      const key = findProperty(info.node, 'NotAction')!.children![0];
      findings.push(finding('broad-not-action', 'Allow with NotAction on every resource grants every action of every service except those listed, including future ones: list the actions to allow instead, or make this a Deny.', ...inside(key)));
    }
    if (info.resourceElement === 'NotResource') {
      const key = findProperty(info.node, 'NotResource')!.children![0];
      findings.push(finding('broad-not-action', 'Allow with NotResource grants the actions on every resource except those listed, in every service and account: list the resources to allow instead, or make this a Deny.', ...inside(key)));
    }
  }
  return findings;
}

/**
 * Named actions on every resource: those that manage permissions (who may access what) are a
 * Warning without a condition, the other writes a Hint, as they could name their resources.
 */
function broadResources(info: StatementInfo, catalog: Catalog | undefined, findings: Report[]): void {
  if (catalog === undefined || info.actionElement !== 'Action') return;
  const star = info.resources.length === 1 && info.resources[0].value === '*';
  if (star) {
    // One hint for the statement, on the "*" to change, naming the writes that could be scoped.
    const scopable: string[] = [];
    for (const entry of info.actions) {
      if (entry.wildcard || entry.vendor === undefined || entry.name === undefined) continue;
      const action = catalog.service(entry.vendor)?.actions.get(entry.name.toLowerCase());
      if (action === undefined || action.resourceTypes.length === 0) continue;
      if (action.accessLevel.includes('Permissions management') && info.condition === undefined) {
        findings.push(finding('permissions-management-wildcard', `${action.service}:${action.name} on every resource lets the holder change who may access any of them: name the resources, or add a condition.`, ...inside(entry.node)));
      } else if (/Write|Permissions management/.test(action.accessLevel)) {
        scopable.push(`${action.service}:${action.name}`);
      }
    }
    if (scopable.length > 0) {
      const named = scopable.length <= 3 ? scopable.join(', ') : `${scopable.slice(0, 3).join(', ')} and ${scopable.length - 3} more`;
      findings.push(finding('resource-star', `${named} ${scopable.length === 1 ? 'supports' : 'support'} resource-level permissions: name the resources ${scopable.length === 1 ? 'it needs' : 'they need'} instead of "*".`, ...inside(info.resources[0])));
    }
    return;
  }
  for (const node of info.resources) {
    const arn = parseArn(node.value as string);
    if (arn === undefined || /[*?$]/.test(arn.service) || arn.service === '') continue;
    const open = (part: string) => part === '' || part === '*';
    if (open(arn.partition) && open(arn.region) && open(arn.account) && /^[A-Za-z0-9-]*[/:]?\*$/.test(arn.resource) && arn.partition === '*') {
      findings.push(finding('resource-star', `${JSON.stringify(node.value)} matches every such resource in every partition, region and account: it is as broad as "*".`, ...inside(node)));
    }
  }
}
