/**
 * PermissionsBoundary of PutUserPermissionsBoundary: the ARN of a managed policy, AWS's
 * (`arn:aws:iam::aws:policy/...`) or the account's (`arn:aws:iam::123456789012:policy/...`),
 * 20 to 2,048 characters. Checked before sending so a typo gets a precise answer.
 */
import { NAME_RULES, PATH_MAX_LENGTH, PERMISSIONS_BOUNDARY_ARN } from 'iam-policy-engine';
import { checkName, describeCharacter } from 'iam-policy-engine';

const PARTITION = /^aws(?:-[a-z]+)*$/;
const ACCOUNT = /^(?:\d{12}|aws)$/;
const EXAMPLE = 'arn:aws:iam::123456789012:policy/MyBoundary or arn:aws:iam::aws:policy/PowerUserAccess';

/**
 * Undefined when the ARN can name a managed policy; otherwise what is wrong with it.
 * @param purpose what the ARN is for, in the messages (PolicyArn of Attach*Policy has the same rule)
 */
export function checkPermissionsBoundaryArn(arn: string, purpose = 'permissions boundary'): string | undefined {
  const { min, max } = PERMISSIONS_BOUNDARY_ARN;
  if (arn.length < min || arn.length > max) {
    return `The ${purpose} must be a managed policy ARN of ${min} to ${max.toLocaleString('en-US')} characters; this is ${arn.length.toLocaleString('en-US')}. For example ${EXAMPLE}.`;
  }
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return `"${arn}" is not an ARN. ${article(purpose)} ${purpose} is a managed policy ARN, for example ${EXAMPLE}.`;
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition)) return `The partition "${partition}" of this ARN is not an AWS partition (aws, aws-cn, aws-us-gov...).`;
  if (service !== 'iam')
    return `This is an ARN of ${service === '' ? 'no service' : `the service "${service}"`}, not of an IAM managed policy. For example ${EXAMPLE}.`;
  if (region !== '') return `IAM ARNs have no region, but this one has "${region}": write arn:${partition}:iam::${account}:${resource}.`;
  if (!ACCOUNT.test(account)) return `The account of this ARN is "${account}": it must be 12 digits, or "aws" for a policy managed by AWS.`;
  if (!resource.startsWith('policy/')) {
    const kind = resource.split('/')[0];
    return `This ARN names ${kind === '' ? 'nothing' : `a ${kind}`}, not a managed policy: ${article(purpose).toLowerCase()} ${purpose} is arn:${partition}:iam::${account}:policy/NAME.`;
  }
  const pathAndName = resource.slice('policy'.length);
  const lastSlash = pathAndName.lastIndexOf('/');
  const path = pathAndName.slice(0, lastSlash + 1);
  const name = pathAndName.slice(lastSlash + 1);
  if (path.length > PATH_MAX_LENGTH) return `The path of this policy ARN is ${path.length} characters, over the ${PATH_MAX_LENGTH} IAM allows.`;
  for (const char of path) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x21 || code > 0x7e) {
      return `The path of this policy ARN has ${describeCharacter(char)}: IAM paths are printable ASCII characters without spaces.`;
    }
  }
  const nameProblem = checkName(NAME_RULES.policyName, name);
  return nameProblem === undefined ? undefined : `In this policy ARN: ${nameProblem}`;
}

/** Checks the PolicyArn of Attach{User,Group,Role}Policy: the same rule as a boundary's. */
export function checkManagedPolicyArn(arn: string): string | undefined {
  return checkPermissionsBoundaryArn(arn, 'policy to attach');
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'An' : 'A';
}
