/**
 * The entries of the commands' pick lists, and what typing into them offers: plain functions,
 * so the rules (which name is valid where, what is listed first) are tested without an editor.
 */
import { describeProfile, type AwsProfile, type EntityKind, type IamEntity, type ManagedPolicySummary, type SharedFilePaths } from '../aws';
import { checkAttachTargetName, checkBoundaryUserName, checkInlinePolicyTargetName, checkManagedPolicyArn, checkPermissionsBoundaryArn } from '../flows';
import type { Choice, ChoiceSection, TypedChoice } from './ui';

export const KIND_NOUN: Readonly<Record<EntityKind, string>> = { user: 'user', group: 'group', role: 'role' };

/** The user, group or role picker's first question in "Push Policy to IAM…". */
export function kindChoices(): Choice<EntityKind>[] {
  return [
    {
      label: '$(person) User',
      description: 'PutUserPolicy',
      detail: 'An inline policy of one IAM user (inline policies of a user: 2,048 characters in all).',
      value: 'user',
    },
    {
      label: '$(organization) Group',
      description: 'PutGroupPolicy',
      detail: 'An inline policy of an IAM group, for all its users (5,120 characters in all).',
      value: 'group',
    },
    { label: '$(server-process) Role', description: 'PutRolePolicy', detail: 'An inline policy of an IAM role (10,240 characters in all).', value: 'role' },
  ];
}

/** Users, groups or roles by name, each with its path (`/` or `/engineering/`). */
export function entityChoices(entities: readonly IamEntity[]): Choice<string>[] {
  return [...entities]
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name))
    .map((entity) => ({ label: entity.name, description: entity.path, value: entity.name }));
}

/**
 * What a typed name offers in a list of names: nothing when it is empty or listed already;
 * otherwise the name itself if `check` accepts it, or an entry saying why not.
 */
export function typedNameChoice(
  value: string,
  listed: readonly Choice<string>[],
  noun: string,
  check: (name: string) => string | undefined,
): TypedChoice<string> | undefined {
  if (value === '' || listed.some((choice) => choice.value === value)) return undefined;
  const problem = check(value);
  if (problem !== undefined) {
    return { label: `$(error) "${value}" is not a valid ${noun} name`, detail: problem, value: undefined };
  }
  return {
    label: `$(edit) Use "${value}"`,
    description: 'not in the list',
    detail: `IAM says so if there is no ${noun} of that name.`,
    value,
  };
}

/** The name rule of Put{User,Group,Role}Policy for typed names. */
export function typedTargetChoice(kind: EntityKind, value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  return typedNameChoice(value, listed, KIND_NOUN[kind], (name) => checkInlinePolicyTargetName(kind, name));
}

/** The UserName rule of PutUserPermissionsBoundary (1 to 64 characters) for typed names. */
export function typedBoundaryUserChoice(value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  return typedNameChoice(value, listed, 'user', checkBoundaryUserName);
}

/** Path of the AWS managed policies only a service-linked role can have; never a boundary. */
const SERVICE_ROLE_PATH = '/aws-service-role/';

/**
 * Managed policies a boundary can be picked from: the account's own first, then AWS's.
 * Policies for service-linked roles are left out (IAM refuses them as a boundary); the
 * current boundary is marked and listed first in its section.
 */
export function managedPolicySections(policies: readonly ManagedPolicySummary[], currentArn: string | undefined): ChoiceSection<string>[] {
  const choice = (policy: ManagedPolicySummary): Choice<string> => ({
    label: policy.name,
    description: [policy.arn === currentArn ? 'current boundary' : undefined, policy.path !== '/' ? policy.path : undefined]
      .filter((part) => part !== undefined)
      .join(' · '),
    value: policy.arn,
    ...(policy.arn === currentArn ? { current: true } : {}),
  });
  const section = (heading: string, scope: ManagedPolicySummary['scope']): ChoiceSection<string> => ({
    heading,
    choices: policies
      .filter((policy) => policy.scope === scope && !policy.path.startsWith(SERVICE_ROLE_PATH))
      .map(choice)
      .sort((a, b) => Number(b.current === true) - Number(a.current === true) || a.label.localeCompare(b.label)),
  });
  return [section('This account', 'Local'), section('AWS managed', 'AWS')].filter((part) => part.choices.length > 0);
}

/**
 * A typed ARN: offered when the text starts like one (anything else only filters the list)
 * and is not listed already; checked with the flows' rule for PermissionsBoundary.
 */
export function typedBoundaryArnChoice(value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  return typedArnChoice(value, listed, checkPermissionsBoundaryArn);
}

/** A typed ARN of a managed policy to attach, or to push a version of: the rule of PolicyArn. */
export function typedManagedPolicyArnChoice(value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  return typedArnChoice(value, listed, checkManagedPolicyArn);
}

/** The name rule of Attach/Detach*Policy and the boundary calls (user 64, group 128, role 64) for typed names. */
export function typedAttachTargetChoice(kind: EntityKind, value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  return typedNameChoice(value, listed, KIND_NOUN[kind], (name) => checkAttachTargetName(kind, name));
}

function typedArnChoice(value: string, listed: readonly Choice<string>[], check: (arn: string) => string | undefined): TypedChoice<string> | undefined {
  if (!/^arn:/i.test(value) || listed.some((choice) => choice.value === value)) return undefined;
  const problem = check(value);
  if (problem !== undefined) return { label: '$(error) Not a managed policy ARN', detail: problem, value: undefined };
  return { label: `$(edit) Use ${value}`, description: 'not in the list', value };
}

/**
 * "Select AWS Profile…": the SDK's default chain (the setting left empty), then every profile
 * of the shared files. The one in effect is marked.
 * @param current the setting's value ('' for the default chain)
 * @param environmentProfile AWS_PROFILE, which the default chain follows
 */
export function profileSections(profiles: readonly AwsProfile[], current: string, environmentProfile: string | undefined): ChoiceSection<string>[] {
  const mark = (isCurrent: boolean, text: string): string => (isCurrent ? `current · ${text}` : text);
  const chain = environmentProfile !== undefined && environmentProfile !== '' ? `AWS_PROFILE is "${environmentProfile}"` : 'no profile setting';
  const defaultChoice: Choice<string> = {
    label: '$(globe) Default credentials',
    description: mark(current === '', chain),
    detail:
      "The SDK's default chain, as the AWS CLI without --profile: environment variables, AWS_PROFILE or the default profile, SSO, a container or instance role.",
    value: '',
    ...(current === '' ? { current: true } : {}),
  };
  const listed = profiles.map((profile): Choice<string> => ({
    label: profile.name,
    description: mark(profile.name === current, describeProfile(profile)),
    value: profile.name,
    ...(profile.name === current ? { current: true } : {}),
  }));
  // A profile set by hand that the files do not have: show it, so it can be seen and left.
  if (current !== '' && !profiles.some((profile) => profile.name === current)) {
    listed.unshift({ label: current, description: 'current · not in the config or credentials file', value: current, current: true });
  }
  return [
    { heading: 'Default', choices: [defaultChoice] },
    { heading: 'Profiles', choices: listed },
  ];
}

/** Where the profiles come from, for the pick's placeholder when there are none. */
export function noProfilesNotice(files: SharedFilePaths): string {
  return `No profiles in ${files.config} or ${files.credentials}. Run "aws configure" (or "aws configure sso") to add one, or type a profile name.`;
}

/** A typed profile name that is not listed: AWS_CONFIG_FILE may differ for the CLI, so it is allowed. */
export function typedProfileChoice(value: string, listed: readonly Choice<string>[]): TypedChoice<string> | undefined {
  const name = value.trim();
  if (name === '' || listed.some((choice) => choice.value === name)) return undefined;
  if (/\s/.test(name)) return { label: `$(error) "${name}" cannot be a profile name`, detail: 'Profile names have no spaces.', value: undefined };
  return { label: `$(edit) Use the profile "${name}"`, description: 'not in the config or credentials file', value: name };
}
