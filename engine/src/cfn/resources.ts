/**
 * Where a CloudFormation resource holds policy documents, and the kind of each, from the
 * CloudFormation resource reference: a role's `AssumeRolePolicyDocument` is its trust policy
 * and its `Policies` its inline identity policies; a bucket policy's `PolicyDocument` is an S3
 * bucket policy; and so on. `AWS::Lambda::Permission` holds no policy document (CloudFormation
 * builds the function's policy from its fields), so it is not here. The names a resource gives
 * IAM (RoleName, PolicyName…) are checked by the same rules as the push commands'.
 */
import type { PolicyKind } from '../kinds';
import type { NameRuleId } from '../limits';
import { entryOf, literalString, valueOf, type TEntry, type TMap, type TValue } from './values';

export interface ResourceSpec {
  /** Properties holding one policy document, and its kind. */
  documents?: ReadonlyArray<{ property: string; kind: PolicyKind }>;
  /** `Policies`: a list of `{PolicyName, PolicyDocument}`, inline identity policies. */
  inlinePolicies?: boolean;
  /** Properties that name something in IAM, with the API's rule for that name. */
  names?: ReadonlyArray<{ property: string; rule: NameRuleId }>;
  /** The IAM entity the resource is, for the push commands' default target. */
  entity?: 'user' | 'group' | 'role';
  /** Whether the policy is a managed policy (its 6,144-character quota applies). */
  managed?: boolean;
}

export const RESOURCE_SPECS: Readonly<Record<string, ResourceSpec>> = {
  'AWS::IAM::Role': {
    documents: [{ property: 'AssumeRolePolicyDocument', kind: 'trust' }],
    inlinePolicies: true,
    names: [{ property: 'RoleName', rule: 'roleName' }],
    entity: 'role',
  },
  'AWS::IAM::User': { inlinePolicies: true, names: [{ property: 'UserName', rule: 'userName' }], entity: 'user' },
  'AWS::IAM::Group': { inlinePolicies: true, names: [{ property: 'GroupName', rule: 'groupName' }], entity: 'group' },
  'AWS::IAM::Policy': { documents: [{ property: 'PolicyDocument', kind: 'identity' }], names: [{ property: 'PolicyName', rule: 'policyName' }] },
  'AWS::IAM::ManagedPolicy': {
    documents: [{ property: 'PolicyDocument', kind: 'identity' }],
    names: [{ property: 'ManagedPolicyName', rule: 'policyName' }],
    managed: true,
  },
  'AWS::IAM::RolePolicy': {
    documents: [{ property: 'PolicyDocument', kind: 'identity' }],
    names: [
      { property: 'PolicyName', rule: 'policyName' },
      { property: 'RoleName', rule: 'roleName' },
    ],
  },
  'AWS::IAM::UserPolicy': {
    documents: [{ property: 'PolicyDocument', kind: 'identity' }],
    names: [
      { property: 'PolicyName', rule: 'policyName' },
      { property: 'UserName', rule: 'userNameForPolicy' },
    ],
  },
  'AWS::IAM::GroupPolicy': {
    documents: [{ property: 'PolicyDocument', kind: 'identity' }],
    names: [
      { property: 'PolicyName', rule: 'policyName' },
      { property: 'GroupName', rule: 'groupName' },
    ],
  },
  'AWS::S3::BucketPolicy': { documents: [{ property: 'PolicyDocument', kind: 's3-bucket' }] },
  'AWS::SQS::QueuePolicy': { documents: [{ property: 'PolicyDocument', kind: 'sqs-queue' }] },
  'AWS::SQS::QueueInlinePolicy': { documents: [{ property: 'PolicyDocument', kind: 'sqs-queue' }] },
  'AWS::SNS::TopicPolicy': { documents: [{ property: 'PolicyDocument', kind: 'sns-topic' }] },
  'AWS::SNS::TopicInlinePolicy': { documents: [{ property: 'PolicyDocument', kind: 'sns-topic' }] },
  'AWS::KMS::Key': { documents: [{ property: 'KeyPolicy', kind: 'kms-key' }] },
  'AWS::KMS::ReplicaKey': { documents: [{ property: 'KeyPolicy', kind: 'kms-key' }] },
  'AWS::SecretsManager::ResourcePolicy': { documents: [{ property: 'ResourcePolicy', kind: 'secretsmanager-secret' }] },
  'AWS::ECR::Repository': { documents: [{ property: 'RepositoryPolicyText', kind: 'ecr-repository' }] },
};

/** A policy document found in a resource (template values, offsets relative to its piece). */
export interface FoundDocument {
  kind: PolicyKind;
  /** Where in the resource, for people: `AssumeRolePolicyDocument`, `Policies[0]`. */
  where: string;
  /** The `PolicyDocument:` (or `KeyPolicy:`…) entry. */
  entry: TEntry;
  /** The inline policy's name, when it is a literal. */
  policyName?: string;
  /** Whether `Fn::If` chose it (one of the two branches of a policy list item). */
  conditional: boolean;
  /** Its place in the list `findDocuments` gives for the resource. */
  index: number;
}

/** A name property of a resource, to check against the API's rule. */
export interface FoundName {
  property: string;
  rule: NameRuleId;
  value: TValue;
}

/** The type of a resource (`AWS::IAM::Role`), when a literal. */
export function resourceType(resource: TValue): string | undefined {
  return literalString(valueOf(resource, 'Type'));
}

export function findDocuments(resource: TValue): FoundDocument[] {
  const type = resourceType(resource);
  const spec = type === undefined ? undefined : RESOURCE_SPECS[type];
  const properties = valueOf(resource, 'Properties');
  if (spec === undefined || properties?.type !== 'map') return [];
  const found: FoundDocument[] = [];
  for (const { property, kind } of spec.documents ?? []) {
    const entry = entryOf(properties, property);
    if (entry !== undefined) found.push({ kind, where: property, entry, conditional: false, index: found.length });
  }
  if (spec.inlinePolicies === true) {
    const list = valueOf(properties, 'Policies');
    if (list?.type === 'seq') {
      list.items.forEach((item, index) => {
        for (const { map, conditional } of branches(item)) {
          const entry = entryOf(map, 'PolicyDocument');
          if (entry === undefined) continue;
          const name = literalString(valueOf(map, 'PolicyName'));
          const document: FoundDocument = { kind: 'identity', where: `Policies[${index}]`, entry, conditional, index: found.length };
          if (name !== undefined) document.policyName = name;
          found.push(document);
        }
      });
    }
  }
  return found;
}

/** The maps a list item stands for: itself, or each branch of an `Fn::If`. */
function branches(item: TValue): Array<{ map: TMap; conditional: boolean }> {
  if (item.type === 'map') return [{ map: item, conditional: false }];
  if (item.type === 'intrinsic' && item.name === 'Fn::If' && item.argument.type === 'seq' && item.argument.items.length === 3) {
    return item.argument.items.slice(1).flatMap((branch) => (branch.type === 'map' ? [{ map: branch, conditional: true }] : []));
  }
  return [];
}

export function findNames(resource: TValue): FoundName[] {
  const type = resourceType(resource);
  const spec = type === undefined ? undefined : RESOURCE_SPECS[type];
  const properties = valueOf(resource, 'Properties');
  if (spec === undefined || properties?.type !== 'map') return [];
  const found: FoundName[] = [];
  for (const { property, rule } of spec.names ?? []) {
    const value = valueOf(properties, property);
    if (value !== undefined) found.push({ property, rule, value });
  }
  if (spec.inlinePolicies === true) {
    const list = valueOf(properties, 'Policies');
    if (list?.type === 'seq') {
      for (const item of list.items) {
        for (const { map } of branches(item)) {
          const value = valueOf(map, 'PolicyName');
          if (value !== undefined) found.push({ property: 'PolicyName', rule: 'policyName', value });
        }
      }
    }
  }
  return found;
}
