/**
 * Pushing a policy that lives in a CloudFormation template: the person picks which of the
 * template's identity policies, and the push runs on the JSON CloudFormation would send for it
 * (its rendering, pretty-printed), exactly as for a policy file. A policy that holds a value
 * CloudFormation resolves only when it deploys the stack (`!Ref`, `!GetAtt`, a `${…}` of
 * `!Sub`), or that a condition shapes, has no text to send: it is listed with the reason, and
 * cannot be picked. No `vscode` import.
 */
import { analyzeTemplateDocument, kindInfo, looksLikeTemplate, mayBeTemplate, type TemplatePolicy } from 'iam-policy-engine';
import type { EntityKind } from '../aws';
import { CANCELLED, type CommandOutcome } from './session';
import type { Choice, CommandEnv, PolicyDocumentRef } from './ui';

/** A template's policy as a document to push: its rendering, with the template's names for it. */
export interface TemplatePolicyRef extends PolicyDocumentRef {
  /** How titles name it: `stack.yaml, ReportsRole Policies[0]`. */
  readonly label: string;
  /** The template's PolicyName for it, offered as the inline policy's name. */
  readonly suggestedName?: string;
  /** The kind of entity the resource is, the target's kind when the command does not say. */
  readonly entity?: EntityKind;
}

/** A policy of the template and whether it can be pushed. */
interface Candidate {
  readonly id: string;
  readonly policy: TemplatePolicy;
  readonly why?: string;
}

/**
 * The document to push: the document itself when it is no template, else the policy of the
 * template the person picks (or the outcome: cancelled, or why none can be pushed).
 */
export async function documentToPush(
  env: CommandEnv,
  document: PolicyDocumentRef,
  title: string,
): Promise<{ document: PolicyDocumentRef } | { outcome: CommandOutcome }> {
  const text = document.getText();
  if (!mayBeTemplate(document.fileName, undefined) || !looksLikeTemplate(text)) return { document };
  const analysis = analyzeTemplateDocument(text, { fileName: document.fileName });
  if (analysis?.template === undefined) return { document };
  const file = baseName(document.fileName);
  const candidates = analysis.template.pieces.flatMap((piece) =>
    piece.result.policies.map((policy): Candidate => {
      const why = whyNot(policy);
      return { id: `${policy.logicalId} ${policy.where}`, policy, ...(why !== undefined ? { why } : {}) };
    }),
  );
  const pushable = candidates.filter((candidate) => candidate.why === undefined);
  if (pushable.length === 0) {
    const reasons = candidates.slice(0, 3).map((candidate) => `${candidate.id} ${candidate.why!}`);
    const message =
      candidates.length === 0
        ? `${file} is a CloudFormation template with no policy document: nothing to push.`
        : `No policy of ${file} can be pushed as it is: ${reasons.join('; ')}${candidates.length > 3 ? '; …' : ''}.`;
    env.ui.notify('warning', message);
    env.log(`Push ${file}: not sent, no policy of the template can be pushed`);
    return { outcome: { status: 'blocked', message } };
  }
  const choices: Array<Choice<string>> = pushable.map((candidate) => ({
    label: candidate.id,
    value: candidate.id,
    ...(candidate.policy.policyName !== undefined ? { description: candidate.policy.policyName } : {}),
  }));
  const others = candidates.filter((candidate) => candidate.why !== undefined);
  const chosen = await env.ui.pick<string>({
    title,
    placeholder: `Which policy of ${file}? It is sent as CloudFormation would send it.`,
    load: async () => ({
      sections: [{ choices }],
      ...(others.length > 0 ? { notice: `Not listed: ${others.map((candidate) => `${candidate.id} ${candidate.why!}`).join('; ')}.` } : {}),
    }),
  });
  if (chosen === undefined) return { outcome: CANCELLED };
  const { policy } = pushable.find((candidate) => candidate.id === chosen)!;
  const rendering = policy.variants[0].rendering.text;
  const pretty = `${JSON.stringify(JSON.parse(rendering), null, 2)}\n`;
  const ref: TemplatePolicyRef = {
    key: `${document.key}#${policy.logicalId}/${policy.where}`,
    fileName: document.fileName,
    getText: () => pretty,
    label: `${file}, ${chosen}`,
    ...(policy.policyName !== undefined ? { suggestedName: policy.policyName } : {}),
    ...(policy.entity !== undefined ? { entity: policy.entity } : {}),
  };
  return { document: ref };
}

export function isTemplatePolicyRef(document: PolicyDocumentRef): document is TemplatePolicyRef {
  return (document as TemplatePolicyRef).label !== undefined;
}

/** Why a template's policy cannot be pushed as it is, or undefined when it can. */
function whyNot(policy: TemplatePolicy): string | undefined {
  if (policy.kind !== 'identity') return `is ${kindInfo(policy.kind).label}: the push commands send identity policies`;
  if (policy.variants.length === 0) return 'is not written out in the template';
  if (policy.conditional || policy.variants.length > 1) return 'depends on a condition (Fn::If)';
  if (policy.unknownCount > 0) {
    return `has ${policy.unknownCount === 1 ? 'a value' : `${policy.unknownCount} values`} CloudFormation resolves only when it deploys the stack`;
  }
  return undefined;
}

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}
