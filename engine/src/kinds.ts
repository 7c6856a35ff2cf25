/**
 * Kinds of policy documents: one row per kind, with what the checks and quotas that follow the
 * kind need to know. A kind is named by the user (the file's suffix, a glob in the repository's
 * configuration, the editor) or, failing that, inferred from the document (`inferKind`).
 *
 * Sources: the IAM User Guide ("IAM and AWS STS quotas": managed policy 6,144 characters and
 * role trust policy 2,048 by default, white space not counted), AWS Organizations' quotas
 * (SCP and RCP documents 5,120 characters), and each service's documented policy size:
 * S3 bucket policies 20 KB, SQS queue policies 8,192 bytes (the Policy attribute), SNS topic
 * policies 30 KB, KMS key policies 32 KB, ECR repository policies 10,240 characters, Lambda
 * function policies 20 KB, Secrets Manager resource policies 20,480 characters.
 */
import type { Node } from './json';
import { findProperty, propertyValue, type PolicyView } from './model';

/** What the checks distinguish: who the policy is attached to. */
export type KindFamily = 'identity' | 'trust' | 'resource' | 'scp' | 'rcp';

export type PolicyKind =
  | 'identity'
  | 'trust'
  | 'resource'
  | 's3-bucket'
  | 'sqs-queue'
  | 'sns-topic'
  | 'kms-key'
  | 'ecr-repository'
  | 'lambda-function'
  | 'secretsmanager-secret'
  | 'scp'
  | 'rcp';

export interface KindInfo {
  readonly family: KindFamily;
  /** What a person calls it: "an S3 bucket policy". */
  readonly label: string;
  /** File-name endings that name the kind (before .json or .jsonc): `.bucket-policy` in `site.bucket-policy.json`. */
  readonly suffix?: string;
  /** For a resource-based policy of one service: its service prefix (the actions it may grant). */
  readonly service?: string;
  /** The size the service takes, and whether white space counts in it. */
  readonly quota?: { readonly characters: number; readonly whiteSpaceCounts: boolean; readonly what: string };
  /**
   * Whether a statement must name its resources. `required`: the service rejects a statement
   * without Resource or NotResource; `forbidden`: it rejects one with them; `optional`: it
   * takes either (or we cannot tell, so nothing is said).
   */
  readonly resource: 'required' | 'optional' | 'forbidden';
}

const MANAGED = { characters: 6_144, whiteSpaceCounts: false, what: 'a managed policy' } as const;

export const KINDS = {
  identity: { family: 'identity', label: 'an identity policy', resource: 'required', quota: MANAGED },
  trust: {
    family: 'trust',
    label: 'a role trust policy',
    suffix: '.trust',
    resource: 'forbidden',
    quota: { characters: 2_048, whiteSpaceCounts: false, what: 'a role trust policy (the default quota; it can be raised to 8,192)' },
  },
  resource: { family: 'resource', label: 'a resource-based policy', suffix: '.resource-policy', resource: 'optional' },
  's3-bucket': {
    family: 'resource',
    label: 'an S3 bucket policy',
    suffix: '.bucket-policy',
    service: 's3',
    resource: 'required',
    quota: { characters: 20_480, whiteSpaceCounts: true, what: 'an S3 bucket policy (20 KB)' },
  },
  'sqs-queue': {
    family: 'resource',
    label: 'an SQS queue policy',
    suffix: '.queue-policy',
    service: 'sqs',
    resource: 'optional',
    quota: { characters: 8_192, whiteSpaceCounts: true, what: 'an SQS queue policy' },
  },
  'sns-topic': {
    family: 'resource',
    label: 'an SNS topic policy',
    suffix: '.topic-policy',
    service: 'sns',
    resource: 'optional',
    quota: { characters: 30_720, whiteSpaceCounts: true, what: 'an SNS topic policy (30 KB)' },
  },
  'kms-key': {
    family: 'resource',
    label: 'a KMS key policy',
    suffix: '.key-policy',
    service: 'kms',
    resource: 'required',
    quota: { characters: 32_768, whiteSpaceCounts: true, what: 'a KMS key policy (32 KB)' },
  },
  'ecr-repository': {
    family: 'resource',
    label: 'an ECR repository policy',
    suffix: '.repository-policy',
    service: 'ecr',
    resource: 'optional',
    quota: { characters: 10_240, whiteSpaceCounts: true, what: 'an ECR repository policy' },
  },
  'lambda-function': {
    family: 'resource',
    label: 'a Lambda function policy',
    suffix: '.function-policy',
    service: 'lambda',
    resource: 'optional',
    quota: { characters: 20_480, whiteSpaceCounts: true, what: 'a Lambda function policy (20 KB)' },
  },
  'secretsmanager-secret': {
    family: 'resource',
    label: 'a Secrets Manager secret policy',
    suffix: '.secret-policy',
    service: 'secretsmanager',
    resource: 'optional',
    quota: { characters: 20_480, whiteSpaceCounts: true, what: 'a Secrets Manager resource policy' },
  },
  scp: {
    family: 'scp',
    label: 'a service control policy',
    suffix: '.scp',
    resource: 'optional',
    quota: { characters: 5_120, whiteSpaceCounts: true, what: 'a service control policy' },
  },
  rcp: {
    family: 'rcp',
    label: 'a resource control policy',
    suffix: '.rcp',
    resource: 'optional',
    quota: { characters: 5_120, whiteSpaceCounts: true, what: 'a resource control policy' },
  },
} as const satisfies Record<PolicyKind, KindInfo>;

export const POLICY_KINDS = Object.keys(KINDS) as PolicyKind[];

export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(KINDS, value);
}

export function kindInfo(kind: PolicyKind): KindInfo {
  return KINDS[kind];
}

/** The kind a file name says, from its suffix (`x.scp.json`, `site.bucket-policy.jsonc`), if any. */
export function kindFromFileName(fileName: string): PolicyKind | undefined {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).toLowerCase();
  const stem = base.replace(/\.(json|jsonc)$/, '');
  for (const kind of POLICY_KINDS) {
    const suffix = (KINDS[kind] as KindInfo).suffix;
    if (suffix !== undefined && stem.endsWith(suffix) && stem.length > suffix.length) return kind;
  }
  return undefined;
}

/** The resource-based kind whose service is `prefix`, if there is one. */
export function kindOfService(prefix: string): PolicyKind | undefined {
  return POLICY_KINDS.find((kind) => (KINDS[kind] as KindInfo).service === prefix.toLowerCase());
}

/** How the kind in use was decided, for the editor's status bar and messages. */
export type KindSource = 'inferred' | 'file name' | 'configuration' | 'editor' | 'caller';

/** Actions a role trust policy allows (and `*`, which some write for them). */
const TRUST_ACTION = /^(sts:(AssumeRole\*?|AssumeRoleWith\w*|TagSession|SetSourceIdentity|SetContext|\*)|\*)$/i;

/**
 * The kind a document looks like when nobody named it. An identity policy (what users, groups
 * and roles have) unless most statements name a principal: then a role trust policy when they
 * only assume roles and name no resource, else a resource-based policy, of one service when
 * every action is of that service. Statements without principals that only assume roles and
 * name no resource are a trust policy whose principals are missing.
 *
 * Checks whose verdict depends on the kind stay quiet where an inferred kind cannot tell
 * (a resource-based policy of an unknown service need not name resources).
 */
export function inferKind(policy: PolicyView | undefined): PolicyKind {
  if (policy === undefined || policy.statements.length === 0) return 'identity';
  const statements = policy.statements;
  const has = (statement: Node, ...names: string[]): boolean => names.some((name) => findProperty(statement, name) !== undefined);
  // Stops at the first statement with another action (the first, in most policies): this runs
  // on every keystroke, and listing every statement's actions first cost 0.04 ms of one at
  // 131,072 characters.
  const onlyAssumesRoles = statements.every((statement) => {
    const actions = actionStrings(statement);
    return actions.length > 0 && actions.every((action) => TRUST_ACTION.test(action));
  });
  const namesResources = statements.some((statement) => has(statement, 'Resource', 'NotResource'));
  const withPrincipal = statements.filter((statement) => has(statement, 'Principal', 'NotPrincipal')).length;
  if (withPrincipal * 2 > statements.length) {
    if (onlyAssumesRoles && !namesResources) return 'trust';
    const services = new Set(
      statements
        .flatMap(actionStrings)
        .filter((action) => action !== '*')
        .map((action) => action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase()),
    );
    const [only] = services;
    return (services.size === 1 && only !== '' ? kindOfService(only) : undefined) ?? 'resource';
  }
  if (onlyAssumesRoles && !namesResources) return 'trust';
  return 'identity';
}

function actionStrings(statement: Node): string[] {
  const value = propertyValue(findProperty(statement, 'Action'));
  if (value?.type === 'string') return [value.value as string];
  if (value?.type === 'array') return value.children!.filter((child) => child.type === 'string').map((child) => child.value as string);
  return [];
}
