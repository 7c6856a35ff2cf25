/**
 * The size each kind of policy may have where it is stored: a managed policy 6,144 characters
 * and a role trust policy 2,048 (white space not counted), SCPs and RCPs 5,120, each service's
 * resource policies their own (see ../kinds.ts for the numbers and their sources). The API's
 * own limit of 131,072 characters is ./size.ts.
 */
import { groupDigits } from '../numbers';
import { finding, type Report } from '../findings';
import { minifiedLength, type ParsedJson } from '../json';
import { KINDS, type KindInfo, type PolicyKind } from '../kinds';
import { POLICY_DOCUMENT_MAX_LENGTH } from '../limits';

export function checkQuota(text: string, parsed: ParsedJson, kind: PolicyKind): Report[] {
  const info: KindInfo = KINDS[kind];
  const quota = info.quota;
  if (quota === undefined || parsed.root === undefined) return [];
  // Cheap first: a document shorter than the quota with its white space is within it. Over
  // the API's own limit, that Error (./size.ts) says it all.
  if (text.length <= quota.characters || text.length > POLICY_DOCUMENT_MAX_LENGTH) return [];
  const size = quota.whiteSpaceCounts ? text.length : minifiedLength(parsed);
  if (size === undefined || size <= quota.characters) return [];
  const counted = quota.whiteSpaceCounts ? 'characters' : 'characters without white space';
  const advice =
    quota.whiteSpaceCounts && (minifiedLength(parsed) ?? size) <= quota.characters
      ? ' Without white space it would fit: minify it.'
      : ' Split it, or move statements elsewhere.';
  const code = kind === 'identity' ? 'managed-policy-size' : 'policy-size-quota';
  const root = parsed.root;
  return [
    finding(
      code,
      `This document is ${groupDigits(size)} ${counted}, ${groupDigits(size - quota.characters)} over the ${groupDigits(quota.characters)} allowed for ${quota.what}.${advice}`,
      root.offset,
      Math.min(1, root.length),
    ),
  ];
}
