/**
 * IAM caps the aggregate size of one entity's inline policies (user 2,048, group 5,120, role
 * 10,240 characters), white space not counted, and answers LimitExceeded when a put would go
 * over. Checked before sending so the user sees the numbers, not just the refusal.
 */
import { INLINE_POLICY_QUOTA, MANAGED_POLICY_MAX_LENGTH } from 'iam-policy-engine';
import { minify } from 'iam-policy-engine';
import type { EntityRef } from '../aws/log';

export interface QuotaCheck {
  readonly quota: number;
  /** This policy, white space outside strings removed. */
  readonly policySize: number;
  /** The entity's other inline policies (not the one being replaced), measured the same way. */
  readonly otherPoliciesSize: number;
  readonly otherPolicyCount: number;
  readonly total: number;
  readonly fits: boolean;
  readonly message: string;
}

/** A document's size as IAM counts it: white space outside strings removed. */
export function sizeWithoutWhiteSpace(document: string): number {
  // minify needs valid JSON; for anything else count every non-white-space character, the
  // closest guess (IAM rejects such a document anyway).
  return minify(document)?.length ?? document.replace(/[ \t\n\r]+/g, '').length;
}

const format = (value: number): string => value.toLocaleString('en-US');

/**
 * @param existing the entity's inline policies as IAM holds them; one of the same name is the
 *   one being replaced and does not count
 */
export function checkInlinePolicyQuota(
  target: EntityRef,
  policyName: string,
  document: string,
  existing: readonly { readonly policyName: string; readonly document: string }[],
): QuotaCheck {
  const quota = INLINE_POLICY_QUOTA[target.kind];
  const others = existing.filter((policy) => policy.policyName !== policyName);
  const policySize = sizeWithoutWhiteSpace(document);
  const otherPoliciesSize = others.reduce((sum, policy) => sum + sizeWithoutWhiteSpace(policy.document), 0);
  const total = policySize + otherPoliciesSize;
  const fits = total <= quota;
  const owner = `the ${target.kind} "${target.name}"`;
  const othersPhrase =
    others.length === 0
      ? `${owner} has no other inline policy`
      : others.length === 1
        ? `the other inline policy of ${owner} takes ${format(otherPoliciesSize)}`
        : `the ${others.length} other inline policies of ${owner} take ${format(otherPoliciesSize)}`;
  const message = fits
    ? `This policy is ${format(policySize)} characters without white space and ${othersPhrase}: ${format(total)} of the ${format(quota)} IAM allows for the inline policies of one ${target.kind}.`
    : `Too large for IAM: this policy is ${format(policySize)} characters without white space and ${othersPhrase}, ${format(total)} in all, ` +
      `${format(total - quota)} over the ${format(quota)} IAM allows for the inline policies of one ${target.kind}. ` +
      'Shorten it, remove another inline policy, or move statements into a managed policy.';
  return { quota, policySize, otherPoliciesSize, otherPolicyCount: others.length, total, fits, message };
}

export interface ManagedPolicySizeCheck {
  readonly quota: number;
  /** The document, white space outside strings removed. */
  readonly size: number;
  readonly fits: boolean;
  readonly message: string;
}

/**
 * A managed policy document may be 6,144 characters without white space (IAM answers
 * LimitExceeded past it, for CreatePolicy and CreatePolicyVersion alike).
 */
export function checkManagedPolicySize(document: string): ManagedPolicySizeCheck {
  const quota = MANAGED_POLICY_MAX_LENGTH;
  const size = sizeWithoutWhiteSpace(document);
  const fits = size <= quota;
  const message = fits
    ? `This policy is ${format(size)} characters without white space, of the ${format(quota)} IAM allows for a managed policy.`
    : `Too large for IAM: this policy is ${format(size)} characters without white space, ${format(size - quota)} over the ${format(quota)} IAM allows for a managed policy. ` +
      'Shorten it (wildcards for families of actions, fewer repeated ARNs), or split it into two managed policies.';
  return { quota, size, fits, message };
}
