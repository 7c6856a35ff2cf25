/**
 * Statements IAM accepts that grant far more than they seem to: passing any role, and Allow
 * with NotAction or NotResource.
 */
import { parseArn } from '../arn';
import type { Catalog } from '../catalog';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { KINDS, type PolicyKind } from '../kinds';
import { findProperty } from '../model';
import { entryActions, wildcardPattern, type StatementInfo } from '../statements';
import { inside } from './actions';

export function checkSecurity(infos: readonly StatementInfo[], catalog: Catalog | undefined, kind: PolicyKind = 'identity'): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    if (info.effect !== 'Allow') continue;
    if (info.resourceElement === 'Resource') broadResources(info, catalog, findings);
    const everyResource = info.resourceElement === 'Resource' && info.resources.some((node) => node.value === '*');
    // What the holder of an identity policy may do (an SCP or RCP filters, a resource policy grants others).
    if (KINDS[kind].family === 'identity') for (const rule of ROLE_ACTIONS) checkRoleAction(info, rule, findings);
    if (info.actionElement === 'NotAction' && everyResource) {
      const key = findProperty(info.node, 'NotAction')!.children![0];
      findings.push(
        finding(
          'broad-not-action',
          'Allow with NotAction on every resource grants every action of every service except those listed, including future ones: list the actions to allow instead, or make this a Deny.',
          ...inside(key),
        ),
      );
    }
    if (info.resourceElement === 'NotResource') {
      const key = findProperty(info.node, 'NotResource')!.children![0];
      findings.push(
        finding(
          'broad-not-action',
          'Allow with NotResource grants the actions on every resource except those listed, in every service and account: list the resources to allow instead, or make this a Deny.',
          ...inside(key),
        ),
      );
    }
  }
  return findings;
}

/**
 * Two actions that hand out roles: iam:PassRole gives a role, and its permissions, to a
 * service; iam:CreateServiceLinkedRole creates a role a service may use. Allowed on every role
 * (Resource "*", or a role ARN whose name is "*"), or through "*" / iam:* / iam:Pass*, or with
 * NotResource, either is a way to more permissions, unless a condition names the services
 * (iam:PassedToService, iam:AWSServiceName), as the message recommends.
 */
interface RoleAction {
  code: 'passrole-wildcard' | 'create-slr-wildcard';
  action: string;
  /** The condition key that names the services, which makes the grant narrow. */
  narrowingKey: string;
  advice: string;
}

const ROLE_ACTIONS: readonly RoleAction[] = [
  {
    code: 'passrole-wildcard',
    action: 'PassRole',
    narrowingKey: 'iam:passedtoservice',
    advice: 'pass any role, and its permissions, to a service: name the roles (arn:aws:iam::123456789012:role/NAME) or add an iam:PassedToService condition',
  },
  {
    code: 'create-slr-wildcard',
    action: 'CreateServiceLinkedRole',
    narrowingKey: 'iam:awsservicename',
    advice: 'create the service-linked role of any service: name the roles, or add an iam:AWSServiceName condition',
  },
];

/** A resource that stands for every role: "*", or an IAM ARN whose role name is only wildcards. */
function everyRole(value: string): boolean {
  if (value === '*') return true;
  const arn = parseArn(value);
  if (arn === undefined || !(arn.service === 'iam' || arn.service === '*')) return false;
  return /^(\*|role\/(.*\/)?\*|role\/\*.*\*)$/.test(arn.resource) || arn.resource === 'role/*';
}

function checkRoleAction(info: StatementInfo, rule: RoleAction, findings: Report[]): void {
  if (info.actionElement !== 'Action') return; // NotAction on everything: see broad-not-action
  const entry = info.actions.find(
    (candidate) => candidate.all || (candidate.vendor === 'iam' && candidate.name !== undefined && wildcardPattern(candidate.name).test(rule.action)),
  );
  if (entry === undefined) return;
  if (hasConditionKey(info.condition, rule.narrowingKey)) return;
  const what = entry.all ? '"*" (which includes iam:' + rule.action + ')' : JSON.stringify(entry.text);
  if (info.resourceElement === 'NotResource') {
    findings.push(finding(rule.code, `${what} with NotResource lets the holder ${rule.advice}.`, ...inside(entry.node)));
    return;
  }
  const broad = info.resources.find((node) => everyRole(node.value as string));
  if (broad === undefined) return;
  findings.push(finding(rule.code, `${what} on ${JSON.stringify(broad.value)} lets the holder ${rule.advice}.`, ...inside(entry.node)));
}

function hasConditionKey(condition: Node | undefined, key: string): boolean {
  if (condition?.type !== 'object') return false;
  return condition.children!.some(
    (operator) =>
      operator.children?.[1]?.type === 'object' && operator.children[1].children!.some((property) => String(property.children![0].value).toLowerCase() === key),
  );
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
      if (entry.wildcard) continue;
      const action = entryActions(entry, catalog)?.matched[0];
      if (action === undefined || action.resourceTypes.length === 0) continue;
      if (action.accessLevel.includes('Permissions management') && info.condition === undefined) {
        findings.push(
          finding(
            'permissions-management-wildcard',
            `${action.service}:${action.name} on every resource lets the holder change who may access any of them: name the resources, or add a condition.`,
            ...inside(entry.node),
          ),
        );
      } else if (/Write|Permissions management/.test(action.accessLevel)) {
        scopable.push(`${action.service}:${action.name}`);
      }
    }
    if (scopable.length > 0) {
      const named = scopable.length <= 3 ? scopable.join(', ') : `${scopable.slice(0, 3).join(', ')} and ${scopable.length - 3} more`;
      findings.push(
        finding(
          'resource-star',
          `${named} ${scopable.length === 1 ? 'supports' : 'support'} resource-level permissions: name the resources ${scopable.length === 1 ? 'it needs' : 'they need'} instead of "*".`,
          ...inside(info.resources[0]),
        ),
      );
    }
    return;
  }
  for (const node of info.resources) {
    const arn = parseArn(node.value as string);
    if (arn === undefined || /[*?$]/.test(arn.service) || arn.service === '') continue;
    const open = (part: string) => part === '' || part === '*';
    if (open(arn.partition) && open(arn.region) && open(arn.account) && /^[A-Za-z0-9-]*[/:]?\*$/.test(arn.resource) && arn.partition === '*') {
      findings.push(
        finding(
          'resource-star',
          `${JSON.stringify(node.value)} matches every such resource in every partition, region and account: it is as broad as "*".`,
          ...inside(node),
        ),
      );
    }
  }
}
