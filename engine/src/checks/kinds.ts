/**
 * What follows from the kind of policy, statement by statement: the grammar of service and
 * resource control policies (AWS Organizations' SCP and RCP syntax), and what a resource-based
 * policy of one service can name (its own actions and resources, the condition keys that mean
 * something there).
 *
 * Sources: AWS Organizations User Guide, "SCP syntax" and "RCP syntax"; IAM Access Analyzer's
 * policy check reference (SCP_SYNTAX_ERROR_ACTION_WILDCARD, RCP_SYNTAX_ERROR_*, RCP_MISSING_*,
 * UNSUPPORTED_ACTION_IN_POLICY, UNSUPPORTED_RESOURCE_ARN_IN_POLICY, IRRELEVANT_CONDITION_KEY_IN_POLICY).
 */
import { parseArn } from '../arn';
import type { Catalog } from '../catalog';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { KINDS, type KindInfo, type PolicyKind } from '../kinds';
import { findProperty, propertyValue } from '../model';
import type { StatementInfo } from '../statements';
import { inside } from './actions';

const keyOf = (property: Node): Node => property.children![0];

export function checkKind(info: StatementInfo, kind: PolicyKind, catalog: Catalog | undefined): Report[] {
  const findings: Report[] = [];
  const kindInfo: KindInfo = KINDS[kind];
  if (kindInfo.family === 'scp') checkScp(info, findings);
  else if (kindInfo.family === 'rcp') checkRcp(info, catalog, findings);
  else if (kindInfo.family === 'resource' && kindInfo.service !== undefined) checkServicePolicy(info, kindInfo, findings);
  return findings;
}

/** SCP syntax: a wildcard in an action only at its end (`ec2:Describe*`, not `ec2:*Instances`). */
function checkScp(info: StatementInfo, findings: Report[]): void {
  for (const entry of info.actions) {
    if (entry.all || entry.name === undefined || !entry.wildcard) continue;
    const inner = entry.name.slice(0, -1);
    if (/[*?]/.test(inner) || (entry.name.includes('?') && !entry.name.endsWith('*'))) {
      findings.push(
        finding(
          'scp-action-wildcard',
          `${JSON.stringify(entry.text)}: in a service control policy, a wildcard may only end an action name (as in ${entry.vendor}:Describe*).`,
          ...inside(entry.node),
        ),
      );
    }
  }
}

/** Keys about the calling principal: an RCP that uses them should leave AWS services out. */
const PRINCIPAL_KEYS = /^aws:(Principal(Org(ID|Paths)|Account|Arn|Tag\/.+|IsAWSService)|userid|username)$/i;
/** Keys about the service acting on someone's behalf (the "confused deputy" keys). */
const SERVICE_KEYS = /^aws:Source(Account|OrgID|OrgPaths|Arn)$/i;

/**
 * RCP syntax: Principal is "*" (NotPrincipal is not supported), no NotAction, Allow only in its
 * full-access form, actions only of the services RCPs apply to. And the condition patterns
 * Access Analyzer asks of RCPs (RCP_MISSING_*), as Warnings.
 */
function checkRcp(info: StatementInfo, catalog: Catalog | undefined, findings: Report[]): void {
  const statement = info.node;
  const principal = findProperty(statement, 'Principal');
  const notPrincipal = findProperty(statement, 'NotPrincipal');
  if (notPrincipal !== undefined) {
    findings.push(
      finding(
        'rcp-syntax',
        'NotPrincipal in a resource control policy: AWS Organizations supports only "Principal": "*" in RCPs; narrow with conditions instead.',
        keyOf(notPrincipal).offset,
        keyOf(notPrincipal).length,
      ),
    );
  }
  const principalValue = propertyValue(principal);
  if (principalValue !== undefined && !(principalValue.type === 'string' && principalValue.value === '*')) {
    findings.push(
      finding(
        'rcp-syntax',
        'In a resource control policy, Principal must be "*": an RCP applies to everyone who reaches the resources; narrow it with conditions such as aws:PrincipalOrgID.',
        principalValue.offset,
        principalValue.length,
        undefined,
        { suggestions: ['*'] },
      ),
    );
  }
  if (info.actionElement === 'NotAction') {
    const key = keyOf(findProperty(statement, 'NotAction')!);
    findings.push(
      finding(
        'rcp-syntax',
        'NotAction in a resource control policy: AWS Organizations does not support it in RCPs; list the actions to deny.',
        key.offset,
        key.length,
      ),
    );
  }
  if (info.effect === 'Allow') {
    const everything =
      info.actions.length === 1 &&
      info.actions[0].all &&
      info.resources.length === 1 &&
      info.resources[0].value === '*' &&
      info.condition === undefined &&
      info.actionElement === 'Action' &&
      info.resourceElement === 'Resource';
    if (!everything) {
      const effect = propertyValue(findProperty(statement, 'Effect'))!;
      findings.push(
        finding(
          'rcp-syntax',
          'Allow in a resource control policy: RCPs restrict; the only Allow they take is the full-access one ("Principal": "*", "Action": "*", "Resource": "*", no Condition). Use Deny.',
          effect.offset,
          effect.length,
        ),
      );
    }
  }
  const supported = catalog?.rcpServices;
  if (supported !== undefined) {
    for (const entry of info.actions) {
      if (entry.vendor === undefined || supported.has(entry.vendor) || !catalog!.hasService(entry.vendor)) continue;
      findings.push(
        finding(
          'rcp-unsupported-action',
          `${JSON.stringify(entry.text)}: resource control policies do not apply to ${catalog!.serviceName(entry.vendor) ?? entry.vendor}, so this entry has no effect.`,
          ...inside(entry.node),
        ),
      );
    }
  }
  if (info.effect === 'Deny' && info.condition?.type === 'object') {
    const keys = conditionKeys(info.condition);
    const isAwsService = keys.find((key) => /^aws:PrincipalIsAWSService$/i.test(key.value as string));
    const principalKey = keys.find((key) => PRINCIPAL_KEYS.test(key.value as string) && !/IsAWSService$/i.test(key.value as string));
    const serviceKey = keys.find((key) => SERVICE_KEYS.test(key.value as string));
    if (principalKey !== undefined && isAwsService === undefined) {
      findings.push(
        finding(
          'rcp-condition-pattern',
          `${principalKey.value as string} in an RCP's Deny also denies AWS services acting for you (they have no such principal keys): add "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}.`,
          ...inside(principalKey),
        ),
      );
    }
    if (serviceKey !== undefined) {
      if (isAwsService === undefined) {
        findings.push(
          finding(
            'rcp-condition-pattern',
            `${serviceKey.value as string} in an RCP's Deny is about AWS services calling for you: add "Bool": {"aws:PrincipalIsAWSService": "true"} so the statement only judges them.`,
            ...inside(serviceKey),
          ),
        );
      }
      const nullChecked = findProperty(info.condition, 'Null') !== undefined;
      if (!nullChecked) {
        findings.push(
          finding(
            'rcp-condition-pattern',
            `${serviceKey.value as string} is absent from some service calls, and a Deny with a negated operator then denies them: add "Null": {"${serviceKey.value as string}": "false"}.`,
            ...inside(serviceKey),
          ),
        );
      }
    }
  }
}

/** The condition keys of a Condition block, as key nodes. */
function conditionKeys(condition: Node): Node[] {
  const keys: Node[] = [];
  for (const operator of condition.children ?? []) {
    const block = operator.children?.[1];
    if (block?.type !== 'object') continue;
    for (const property of block.children ?? []) keys.push(property.children![0]);
  }
  return keys;
}

/** Keys that say nothing in a resource-based policy: the resource is the one the policy is on. */
const RESOURCE_KEYS = /^aws:Resource(Account|OrgID|OrgPaths)$/i;

/**
 * A resource-based policy of one service applies to that service's resources: actions of other
 * services, and ARNs of other services, have no effect in it.
 */
function checkServicePolicy(info: StatementInfo, kind: KindInfo, findings: Report[]): void {
  const service = kind.service!;
  for (const entry of info.actions) {
    if (entry.all || entry.vendor === undefined || entry.vendor === service || /[*?]/.test(entry.vendor)) continue;
    findings.push(
      finding(
        'action-outside-policy-service',
        `${JSON.stringify(entry.text)} in ${kind.label}: it applies to ${service} resources only, so an action of ${entry.vendor} has no effect here.`,
        ...inside(entry.node),
      ),
    );
  }
  if (info.resourceElement === 'Resource') {
    for (const node of info.resources) {
      const arn = parseArn(node.value as string);
      const arnService = arn?.service.toLowerCase();
      if (arnService === undefined || arnService === '' || arnService === service || /[*?$]/.test(arnService)) continue;
      findings.push(
        finding(
          'resource-outside-policy-service',
          `${JSON.stringify(node.value)} in ${kind.label}: the policy applies to its own ${service} resource, not to ${arnService} ones.`,
          ...inside(node),
        ),
      );
    }
  }
  if (info.condition?.type === 'object') {
    for (const key of conditionKeys(info.condition)) {
      const name = key.value as string;
      if (RESOURCE_KEYS.test(name) || name.toLowerCase() === `${service}:resourceaccount`) {
        findings.push(
          finding(
            'irrelevant-condition-key',
            `${name} in ${kind.label} always names the account or organization of the resource the policy is on: the condition says nothing more.`,
            ...inside(key),
          ),
        );
      }
    }
  }
}
