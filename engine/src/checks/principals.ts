/**
 * Principals and role trust policies: who a statement lets in, and whether the conditions
 * that should narrow it are there. Most of these are Warnings: IAM stores such policies, and
 * they either never work (a SAML provider with AssumeRoleWithWebIdentity) or let in far more
 * than meant (any GitHub repository, any account behind a service).
 *
 * Sources: IAM User Guide ("AWS JSON policy elements: Principal", "NotPrincipal", "Creating a
 * role for web identity or OpenID Connect federation", "Configuring a role for GitHub OIDC",
 * "The confused deputy problem"), IAM Roles Anywhere User Guide (trust policy), and IAM Access
 * Analyzer's policy check reference for the checks named next to each rule in the README.
 */
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { KINDS, type PolicyKind } from '../kinds';
import { findProperty, propertyValue } from '../model';
import type { StatementInfo } from '../statements';
import { inside } from './actions';

const keyOf = (property: Node): Node => property.children![0];

/** The string values of a principal type (`{"Federated": [...]}`), as nodes. */
function principalsOf(principal: Node | undefined, type: string): Node[] {
  if (principal?.type !== 'object') return [];
  const value = propertyValue(findProperty(principal, type));
  if (value === undefined) return [];
  return (value.type === 'array' ? value.children! : [value]).filter((node) => node.type === 'string');
}

/** Every condition key of a statement with its operator, as nodes. */
function conditionEntries(condition: Node | undefined): Array<{ operator: string; key: Node; values: Node | undefined }> {
  const entries: Array<{ operator: string; key: Node; values: Node | undefined }> = [];
  if (condition?.type !== 'object') return entries;
  for (const operator of condition.children ?? []) {
    const block = operator.children?.[1];
    if (block?.type !== 'object') continue;
    for (const property of block.children ?? [])
      entries.push({ operator: String(keyOf(operator).value), key: keyOf(property), values: property.children?.[1] });
  }
  return entries;
}

const valuesOf = (values: Node | undefined): Node[] => (values === undefined ? [] : values.type === 'array' ? values.children! : [values]);

/** The web identity domains IAM takes as Federated principals besides provider ARNs. */
const WEB_IDENTITY_DOMAINS = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com']);
const SAML_PROVIDER = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:saml-provider\/[\w+=,.@-]+$/;
const OIDC_PROVIDER = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:oidc-provider\/(.+)$/;
const GITHUB = 'token.actions.githubusercontent.com';
/** What a service principal looks like: a service's name in one of AWS's domains. */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(amazonaws\.com|amazon\.com|amazonaws\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
/** Keys that say who the caller is: service principals calling for you have none of them. */
const PRINCIPAL_IDENTITY_KEYS = /^aws:(PrincipalOrgID|PrincipalOrgPaths|PrincipalAccount|PrincipalArn|PrincipalTag\/.+|userid|username)$/i;
/** Keys that tie a service principal to the resource or account it acts for (the confused deputy defence). */
const SOURCE_KEYS = /^aws:(SourceArn|SourceAccount|SourceOrgID|SourceOrgPaths|SourceVpce|SourceVpc)$/i;
/** Keys that are easy to forge, so no defence for a service principal. */
const WEAK_SOURCE_KEYS = /^aws:(Referer|UserAgent)$/i;

export function checkPrincipals(info: StatementInfo, kind: PolicyKind): Report[] {
  const findings: Report[] = [];
  const statement = info.node;
  const family = KINDS[kind].family;
  const principalProperty = findProperty(statement, 'Principal');
  const notPrincipalProperty = findProperty(statement, 'NotPrincipal');
  const principal = propertyValue(principalProperty);
  const conditions = conditionEntries(info.condition);
  const trust = family === 'trust';

  if (notPrincipalProperty !== undefined) {
    const key = keyOf(notPrincipalProperty);
    if (trust) {
      findings.push(
        finding(
          'not-principal-in-trust-policy',
          "NotPrincipal in a role trust policy: name who may assume the role with Principal (IAM's documentation: NotPrincipal is not for trust policies).",
          key.offset,
          key.length,
        ),
      );
    } else if (info.effect === 'Allow') {
      findings.push(
        finding(
          'allow-with-not-principal',
          'Allow with NotPrincipal grants access to everyone except those listed, anonymous users included: name who is allowed with Principal instead.',
          key.offset,
          key.length,
        ),
      );
    }
  }

  // "*" as the principal of a trust policy: anyone in any account may assume the role, unless
  // a condition narrows it (which only the conditions can tell).
  if (trust && isEveryone(principal) && info.effect === 'Allow' && conditions.length === 0) {
    findings.push(
      finding(
        'trust-principal-wildcard',
        'Any principal of any AWS account may assume this role: name the accounts or roles, or narrow "*" with a condition such as aws:PrincipalOrgID.',
        principal!.offset,
        principal!.length,
      ),
    );
  }

  const federated = principalsOf(principal, 'Federated');
  const services = principalsOf(principal, 'Service');
  const actions = info.actions.map((entry) => entry.lower);
  const allows = (action: string): boolean =>
    info.actionElement === 'Action' &&
    actions.some((one) => one === '*' || one === 'sts:*' || one === action || (one.endsWith('*') && action.startsWith(one.slice(0, -1))));

  for (const node of federated) {
    const value = node.value as string;
    if (!trust) {
      if (family !== 'scp' && family !== 'rcp')
        findings.push(
          finding(
            'federated-principal-outside-trust',
            `A Federated principal in ${KINDS[kind].label}: identity providers only assume roles, so only a role trust policy can name them.`,
            ...inside(node),
          ),
        );
      continue;
    }
    const saml = SAML_PROVIDER.test(value);
    const oidc = OIDC_PROVIDER.exec(value);
    if (!saml && oidc === null && !WEB_IDENTITY_DOMAINS.has(value)) {
      findings.push(
        finding(
          'federated-principal-format',
          `${JSON.stringify(value)} is neither a SAML or OIDC provider ARN (arn:aws:iam::123456789012:saml-provider/NAME, …:oidc-provider/HOST) nor a web identity domain (cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com, www.amazon.com).`,
          ...inside(node),
        ),
      );
      continue;
    }
    if (info.actionElement !== 'Action') continue;
    if (saml && !allows('sts:assumerolewithsaml')) {
      findings.push(
        finding(
          'federated-action-mismatch',
          `${JSON.stringify(value)} is a SAML provider: its users assume the role with sts:AssumeRoleWithSAML, which this statement does not allow.`,
          ...inside(node),
        ),
      );
    } else if (!saml && !allows('sts:assumerolewithwebidentity')) {
      findings.push(
        finding(
          'federated-action-mismatch',
          `${JSON.stringify(value)} is a web identity (OIDC) provider: its users assume the role with sts:AssumeRoleWithWebIdentity, which this statement does not allow.`,
          ...inside(node),
        ),
      );
    }
    if (!saml && info.effect === 'Allow') checkOidcConditions(node, oidc?.[1] ?? value, conditions, findings);
  }

  for (const node of services) {
    const value = node.value as string;
    if (value !== '*' && !SERVICE_PRINCIPAL.test(value)) {
      findings.push(
        finding(
          'service-principal-format',
          `${JSON.stringify(value)} is not a service principal: they are the service's name in AWS's domain, such as lambda.amazonaws.com.`,
          ...inside(node),
        ),
      );
      continue;
    }
    if (trust && value === 'rolesanywhere.amazonaws.com' && info.actionElement === 'Action') {
      const missing = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'].filter((action) => !allows(action.toLowerCase()));
      if (missing.length > 0) {
        findings.push(
          finding(
            'roles-anywhere-trust-actions',
            `IAM Roles Anywhere assumes roles with sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession together: allow ${missing.join(' and ')} too, or its sessions fail.`,
            ...inside(node),
          ),
        );
      }
    }
  }
  if (services.length > 0 && info.effect === 'Allow' && (trust || family === 'resource')) checkServiceConditions(services, conditions, trust, findings);

  if (trust) checkRedundantTrustPrincipals(principal, findings);
  return findings;
}

function isEveryone(principal: Node | undefined): boolean {
  if (principal?.type === 'string') return principal.value === '*';
  return principalsOf(principal, 'AWS').some((node) => node.value === '*');
}

/**
 * A web identity provider's tokens are issued to many audiences and subjects: a trust policy
 * that does not pin its `aud` (and for GitHub, its `sub`) lets anyone with a token in.
 */
function checkOidcConditions(node: Node, host: string, conditions: ReturnType<typeof conditionEntries>, findings: Report[]): void {
  const lower = host.toLowerCase();
  const onProvider = conditions.filter((entry) => (entry.key.value as string).toLowerCase().startsWith(`${lower}:`));
  if (onProvider.length === 0) {
    findings.push(
      finding(
        'oidc-trust-condition',
        `A trust policy for the provider ${host} without a condition on its claims (${host}:aud, ${host}:sub) lets any of its tokens assume the role: pin the audience and the subject.`,
        ...inside(node),
      ),
    );
    return;
  }
  if (lower === GITHUB) {
    const subject = onProvider.filter((entry) => /:sub$/i.test(entry.key.value as string));
    if (subject.length === 0) {
      findings.push(
        finding(
          'oidc-trust-condition',
          `GitHub's tokens are issued to every repository: without a condition on ${GITHUB}:sub, any repository's workflow may assume this role. Pin it, as in "repo:ORG/REPO:ref:refs/heads/main".`,
          ...inside(node),
        ),
      );
    }
    for (const entry of subject) {
      for (const value of valuesOf(entry.values)) {
        const text = String(value.value);
        if (/[*?]/.test(text) && (!/^repo:[^/*?]+\/[^:*?]+:/.test(text) || /^repo:[^:]*:\*$/.test(text))) {
          findings.push(
            finding(
              'oidc-trust-condition',
              `${JSON.stringify(text)} lets ${/^repo:[^/*?]+\/[^:*?]+:/.test(text) ? 'any branch, tag or environment of the repository' : 'many repositories'} assume this role: name the repository and the branch (repo:ORG/REPO:ref:refs/heads/main).`,
              ...inside(value),
            ),
          );
        }
      }
    }
  }
  for (const entry of onProvider) {
    if (/:aud$/i.test(entry.key.value as string) && /^ForAnyValue:/i.test(entry.operator)) {
      findings.push(
        finding(
          'audience-set-operator',
          `${entry.key.value as string} has one value per token: ForAnyValue: makes the condition true for any audience listed, and for none when the token has none. Use the operator without the set prefix.`,
          ...inside(entry.key),
        ),
      );
    } else if (/:aud$/i.test(entry.key.value as string) && /^ForAllValues:/i.test(entry.operator)) {
      findings.push(
        finding(
          'audience-set-operator',
          `${entry.key.value as string} has one value per token: ForAllValues: is also true when the token has no audience. Use the operator without the set prefix.`,
          ...inside(entry.key),
        ),
      );
    }
  }
}

/**
 * A service principal acts for whoever created the resource that calls it: without a
 * condition tying it to your account or resource (aws:SourceArn, aws:SourceAccount…), another
 * customer's resource can make the service use your grant (the confused deputy). And the keys
 * about the calling principal (aws:PrincipalOrgID…) are absent when a service calls.
 */
function checkServiceConditions(services: readonly Node[], conditions: ReturnType<typeof conditionEntries>, trust: boolean, findings: Report[]): void {
  for (const entry of conditions) {
    if (PRINCIPAL_IDENTITY_KEYS.test(entry.key.value as string) && !/IfExists$/.test(entry.operator)) {
      findings.push(
        finding(
          'principal-key-with-service-principal',
          `${entry.key.value as string} is absent when ${services[0].value as string} calls (a service principal has no account or organization of its own), so this condition is never true for it. Use aws:SourceAccount or aws:SourceOrgID.`,
          ...inside(entry.key),
        ),
      );
    }
  }
  // Trust policies of service roles rarely carry such conditions (the service is the one that
  // assumes), and AWS's own examples leave them out: only resource policies are judged here.
  if (trust) return;
  const sources = conditions.filter((entry) => SOURCE_KEYS.test(entry.key.value as string));
  if (sources.length > 0) return;
  const weak = conditions.find((entry) => WEAK_SOURCE_KEYS.test(entry.key.value as string));
  const node = services[0];
  findings.push(
    finding(
      'service-principal-without-source',
      weak !== undefined
        ? `${weak.key.value as string} can be set by anyone, so it does not tie ${node.value as string} to your resources: add aws:SourceArn or aws:SourceAccount.`
        : `${node.value as string} acts for whoever owns the resource calling it: without aws:SourceArn or aws:SourceAccount, another account's resource can make the service use this grant (the confused deputy).`,
      ...inside(node),
    ),
  );
}

/** An assumed-role session ARN next to the ARN of its role: the role already covers it. */
function checkRedundantTrustPrincipals(principal: Node | undefined, findings: Report[]): void {
  const aws = principalsOf(principal, 'AWS');
  const roles = new Set(
    aws
      .map((node) => /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(node.value as string))
      .filter((match) => match !== null)
      .map((match) => `${match[1]}:${match[2]}:${match[3]}`),
  );
  for (const node of aws) {
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(node.value as string);
    if (session !== null && roles.has(`${session[1]}:${session[2]}:${session[3]}`)) {
      findings.push(
        finding(
          'redundant-trust-principal',
          `${JSON.stringify(node.value)} is a session of a role this policy already names: the role's ARN covers it.`,
          ...inside(node),
        ),
      );
    }
  }
}
