/**
 * Resources: "*" or an ARN (IAM rejects anything else), the ARN's parts against what the
 * service uses, and whether the statement's actions and resources apply to each other.
 */
import { arnFormats, arnMatchesTemplate, arnSyntaxProblem, formatsMatching, parseArn, resourceCovers, type ArnFormat, type ParsedArn } from '../arn';
import type { ActionData, Catalog, ServiceData } from '../catalog';
import { removeProperty } from '../edits';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { isRegion, REGIONS, REGIONS_BY_PARTITION } from '../regions';
import { closest } from '../similar';
import { entryActions, wildcardPattern, type StatementInfo } from '../statements';
import { findVariables } from '../variables';
import { inside, plain, token } from './actions';

export function checkResources(
  text: string,
  infos: readonly StatementInfo[],
  catalog: Catalog | undefined,
  missing: Set<string>,
  languageVersion: string | undefined,
): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    for (const node of info.resources) checkResource(text, node, catalog, missing, languageVersion, findings);
    redundantResources(text, info.resources, findings);
    if (catalog !== undefined) matchActionsAndResources(info, catalog, findings);
  }
  return findings;
}

/** Offset in the document of character `index` of a string node's value (approximate with escapes). */
function at(text: string, node: Node, index: number): number {
  const raw = text.slice(node.offset, node.offset + node.length);
  return raw.indexOf('\\') >= 0 ? node.offset + 1 : node.offset + 1 + index;
}

function checkResource(
  text: string,
  node: Node,
  catalog: Catalog | undefined,
  missing: Set<string>,
  languageVersion: string | undefined,
  findings: Report[],
): void {
  const value = node.value as string;
  if (value === '*') return;
  if (!value.startsWith('arn:')) {
    const hint = value.trim() === '*' ? ' (remove the white space around it)' : value.trim().startsWith('arn:') ? ' (remove the white space before it)' : '';
    findings.push(
      finding(
        'invalid-resource',
        `Resource ${JSON.stringify(value)} must be "*" or an ARN such as arn:aws:s3:::my-bucket/*${hint}: IAM rejects anything else.`,
        ...inside(node),
      ),
    );
    return;
  }
  for (const variable of findVariables(value)) {
    if (variable.problem !== undefined) {
      findings.push(finding('invalid-policy-variable', variable.problem, at(text, node, variable.start), variable.end - variable.start));
    } else if (!variable.escape && languageVersion !== '2012-10-17') {
      findings.push(
        finding(
          'invalid-policy-variable',
          `\${${variable.key}} is plain text here: IAM substitutes policy variables only under "Version": "2012-10-17".`,
          at(text, node, variable.start),
          variable.end - variable.start,
        ),
      );
    }
  }
  // What IAM's own parser refuses (MalformedPolicyDocument): reported first and alone, as IAM
  // stops there too.
  const syntax = arnSyntaxProblem(value);
  if (syntax !== undefined) {
    const exact = plain(node);
    const [offset, length] = exact ? [node.offset + 1 + syntax.index, syntax.length] : inside(node);
    const data = syntax.repair !== undefined && exact ? { edits: [{ offset, length, newText: syntax.repair.text }], label: syntax.repair.title } : undefined;
    findings.push(finding(syntax.doubtful ? 'invalid-arn' : 'malformed-arn', syntax.message, offset, length, undefined, data));
    return;
  }
  const arn = parseArn(value);
  if (arn === undefined) {
    const tail = value.endsWith('*') ? ' The * at its end stands for the parts left out, but write them: arn:aws:logs:*:*:*.' : '';
    findings.push(
      finding(
        'invalid-arn',
        `${JSON.stringify(value)} is not a complete ARN: ARNs have six parts, arn:partition:service:region:account:resource (region and account may be empty, as in arn:aws:s3:::bucket).${tail}`,
        ...inside(node),
      ),
    );
    return;
  }
  const beforeResource = value.slice(0, arn.offsets.resource);
  const misplaced = findVariables(beforeResource).find((variable) => !variable.escape && variable.problem === undefined);
  if (misplaced !== undefined && !/^aws:(PrincipalAccount|ResourceAccount|SourceAccount|RequestedRegion|PrincipalOrgID)$/i.test(misplaced.key)) {
    findings.push(
      finding(
        'invalid-arn',
        `Policy variables are substituted only in the resource part of an ARN (after the fifth colon); \${${misplaced.key}} stands before it.`,
        at(text, node, misplaced.start),
        misplaced.end - misplaced.start,
      ),
    );
  }
  const wild = (part: string) => /[*?$]/.test(part);
  if (wild(arn.service)) return;
  const serviceName = arn.service.toLowerCase();
  if (serviceName !== arn.service) {
    // Every service prefix is lower case, and ARNs are compared as written.
    const exact = plain(node);
    findings.push(
      finding(
        'arn-service-case',
        `The service in an ARN is lower case: ${JSON.stringify(arn.service)} matches no resource; write ${serviceName}.`,
        at(text, node, arn.offsets.service),
        exact ? arn.service.length : node.length - 2,
        undefined,
        exact
          ? {
              edits: [{ offset: node.offset + 1 + arn.offsets.service, length: arn.service.length, newText: serviceName }],
              label: `Change the service to ${serviceName}`,
            }
          : undefined,
      ),
    );
  }
  if (catalog === undefined) return;
  if (!catalog.hasService(serviceName)) {
    const suggestion = closest(serviceName, catalog.servicePrefixes());
    findings.push(
      finding(
        'unknown-service',
        `No AWS service has the prefix ${JSON.stringify(arn.service)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ' (a retired service?)'}: this ARN names nothing.`,
        at(text, node, arn.offsets.service),
        arn.service.length,
        undefined,
        suggestion === undefined || !plain(node) ? undefined : { suggestions: [suggestion] },
      ),
    );
    return;
  }
  const service = catalog.service(serviceName);
  if (service === undefined) {
    if (!catalog.isLoaded(serviceName)) missing.add(serviceName);
    return;
  }
  checkArnFormats(text, node, arn, service, serviceName, findings);
}

/**
 * The ARN against the formats of its service's resource types (compiled once per service):
 * a resource part none matches, and the Region and account the matching ones have or lack.
 * IAM stores all of these; such an ARN simply names no resource.
 */
function checkArnFormats(text: string, node: Node, arn: ParsedArn, service: ServiceData, serviceName: string, findings: Report[]): void {
  const formats = arnFormats(service, serviceName);
  // A service without resource types takes "*" only: nothing to compare the ARN with. A
  // resource part none matches is Information: AWS's managed policies show the reference
  // lacks some formats (API Gateway's /v2/apis paths, iam's root).

  if (formats.length === 0) return;
  const templates = formatsMatching(formats, serviceName, arn.resource);
  if (templates.length === 0) {
    const examples = formats
      .slice(0, 2)
      .map((format) => format.template)
      .join(' or ');
    findings.push(
      finding(
        'arn-format-mismatch',
        `${JSON.stringify(arn.resource)} matches none of ${service.name}'s ARN formats (${examples}${formats.length > 2 ? `, ${formats.length - 2} more` : ''}): unless the service reference lacks its format, this ARN names no resource.`,
        at(text, node, arn.offsets.resource),
        Math.max(1, arn.resource.length),
      ),
    );
    return;
  }
  const wild = (part: string) => /[*?$]/.test(part);
  const example = (format: ArnFormat) => format.template;
  // Account: 12 digits, "aws" (AWS managed policies), empty for services without accounts.
  if (arn.account !== '' && !wild(arn.account) && !/^\d{12}$/.test(arn.account) && arn.account !== 'aws') {
    findings.push(
      finding(
        'invalid-arn',
        `The account part ${JSON.stringify(arn.account)} is not a 12-digit account id (or *): this ARN matches no resource.`,
        at(text, node, arn.offsets.account),
        arn.account.length,
      ),
    );
  } else if (arn.account !== '' && !wild(arn.account) && templates.every((template) => template.account === '')) {
    findings.push(
      finding(
        'invalid-arn',
        `${service.name} ARNs have no account part (as in ${example(templates[0])}): with one, this ARN matches no resource.`,
        at(text, node, arn.offsets.account),
        arn.account.length,
      ),
    );
  }
  // No account where the format has one is not judged: AWS's own resources (SSM's public
  // documents and parameters, Resource Explorer's service views) have none, which the
  // service reference does not say, and AWS's managed policies name them so.
  if (arn.region !== '' && !wild(arn.region) && templates.every((template) => template.region === '')) {
    findings.push(
      finding(
        'invalid-arn',
        `${service.name} ARNs have no region part: with ${JSON.stringify(arn.region)} there, this ARN matches no resource.`,
        at(text, node, arn.offsets.region),
        arn.region.length,
      ),
    );
  } else if (arn.region === '' && templates.every((template) => template.region !== '')) {
    findings.push(
      finding(
        'invalid-arn',
        `This ${service.name} ARN needs a Region (as in ${example(templates[0])}): without one, it matches no resource.`,
        at(text, node, arn.offsets.region - 1),
        2,
      ),
    );
  } else if (arn.region !== '') {
    checkRegion(text, node, arn, findings);
  }
}

/** A Region part that names no AWS Region (or one of another partition than the ARN's). */
function checkRegion(text: string, node: Node, arn: ParsedArn, findings: Report[]): void {
  const region = arn.region;
  if (region.includes('${')) return;
  const offset = at(text, node, arn.offsets.region);
  if (/[*?]/.test(region)) {
    const pattern = wildcardPattern(region);
    if (!REGIONS.some((candidate) => pattern.test(candidate))) {
      findings.push(finding('unknown-region', `${JSON.stringify(region)} matches no AWS Region: this ARN matches no resource.`, offset, region.length));
    }
    return;
  }
  if (!isRegion(region)) {
    const suggestion = closest(region, REGIONS);
    const value = node.value as string;
    const fixed = suggestion === undefined ? undefined : value.slice(0, arn.offsets.region) + suggestion + value.slice(arn.offsets.region + region.length);
    findings.push(
      finding(
        'unknown-region',
        `${JSON.stringify(region)} is not an AWS Region${fixed !== undefined ? ` (did you mean ${fixed}?)` : ''}: this ARN matches no resource.`,
        offset,
        region.length,
        undefined,
        fixed === undefined || !plain(node) ? undefined : { suggestions: [fixed], target: token(node) },
      ),
    );
    return;
  }
  const regions = REGIONS_BY_PARTITION[arn.partition];
  if (regions !== undefined && !regions.includes(region)) {
    const home = Object.keys(REGIONS_BY_PARTITION).find((partition) => REGIONS_BY_PARTITION[partition].includes(region));
    findings.push(
      finding(
        'unknown-region',
        `${region} is a Region of the ${home} partition, not of ${arn.partition}: this ARN matches no resource.`,
        offset,
        region.length,
      ),
    );
  }
}

/**
 * Entries already named by another of the same Resource (or NotResource) list: the same ARN
 * twice, any entry next to "*", an ARN a wildcard ARN covers part by part. Of two that cover
 * each other, the later is reported.
 */
function redundantResources(text: string, nodes: readonly Node[], findings: Report[]): void {
  if (nodes.length < 2) return;
  const values = nodes.map((node) => node.value as string);
  // A pattern covers an entry only if the entry starts with its literal start and ends with its
  // literal end: most pairs are ruled out on that, before resourceCovers.
  const patterns: number[] = [];
  const heads: string[] = [];
  const tails: string[] = [];
  values.forEach((value, index) => {
    if (!/[*?]/.test(value)) {
      heads.push(value);
      tails.push(value);
      return;
    }
    patterns.push(index);
    const first = value.search(/[*?]|\$\{/);
    heads.push(value.slice(0, first));
    let last = value.length;
    while (last > 0 && value[last - 1] !== '*' && value[last - 1] !== '?' && value[last - 1] !== '}') last--;
    tails.push(value.slice(last));
  });
  const seen = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) {
    const value = values[i];
    const first = seen.get(value);
    let by: number | undefined;
    if (first !== undefined) {
      by = first;
    } else {
      seen.set(value, i);
      by = patterns.find(
        (j) =>
          j !== i &&
          value.startsWith(heads[j]) &&
          value.endsWith(tails[j]) &&
          values[j] !== value &&
          resourceCovers(values[j], value) &&
          !(j > i && resourceCovers(value, values[j])),
      );
    }
    if (by === undefined) continue;
    const node = nodes[i];
    const other = nodes[by];
    const message =
      by === first
        ? `${JSON.stringify(value)} is listed twice in this statement.`
        : `${JSON.stringify(value)} is already covered by ${JSON.stringify(values[by])} in this statement.`;
    const data = node.parent?.type === 'array' ? { edits: [removeProperty(text, node)] } : undefined;
    findings.push(
      finding(
        'redundant-resource',
        message,
        ...inside(node),
        [{ offset: other.offset, length: other.length, message: `Covered by ${JSON.stringify(values[by])}` }],
        data,
      ),
    );
  }
}

/** "*" in the resources, or an ARN pattern that is just as broad. */
function coversEverything(resources: readonly Node[]): boolean {
  return resources.some((node) => /^(\*|arn:\*(:\*)*|arn:\*:\*:\*:\*:\*)$/.test(node.value as string));
}

/**
 * The ARN templates of an action's resource types, or undefined when the catalog names a
 * type it does not describe (then nothing is assumed). Kept per action: it never changes.
 */
const templatesOf = new WeakMap<ActionData, string[] | null>();

function actionTemplates(action: ActionData, catalog: Catalog): string[] | undefined {
  let templates = templatesOf.get(action);
  if (templates === undefined) {
    const service = catalog.service(action.service);
    templates = [];
    for (const type of action.resourceTypes) {
      const arn = service?.resourceTypes.get(type.name.toLowerCase())?.arn;
      if (arn === undefined) {
        templates = null;
        break;
      }
      templates.push(arn);
    }
    templatesOf.set(action, templates);
  }
  return templates ?? undefined;
}

/** Services renamed with their ARNs kept working under both names. */
const SERVICE_ALIASES: Record<string, string> = {
  codeconnections: 'codestar-connections',
};

const canonicalService = (service: string): string => SERVICE_ALIASES[service] ?? service;

const servicesOf = new WeakMap<ActionData, Set<string>>();

/**
 * The services whose resources an action takes (ssm:SendCommand takes ec2 instances too),
 * with its own; "*" when it may take anything: a type the catalog does not describe, or an
 * action the reference calls "*"-only, yet AWS grants some of those on other services' ARNs
 * (ssmmessages on ssm sessions).
 */
function resourceServices(action: ActionData, catalog: Catalog): Set<string> {
  let services = servicesOf.get(action);
  if (services === undefined) {
    services = new Set([canonicalService(action.service)]);
    const templates = actionTemplates(action, catalog);
    if (templates === undefined || templates.length === 0) services.add('*');
    for (const template of templates ?? []) {
      const parsed = parseArn(template);
      services.add(parsed === undefined ? '*' : canonicalService(parsed.service.toLowerCase()));
    }
    servicesOf.set(action, services);
  }
  return services;
}

/** entryServices' answers, by the action of a plain entry or by a wildcard's list (the list is actionsMatching's memo). */
const entryServicesOf = new WeakMap<object, Set<string>>();

/**
 * The services whose resources an entry's actions may take, its own service's always; "*"
 * when any may be. Inside a wildcard (cloudfront:*), the "*"-only actions say nothing about
 * the others. Kept: a wildcard's actions take the same services in every statement.
 */
function entryServices(service: ServiceData, matched: readonly ActionData[], wildcard: boolean, catalog: Catalog): Set<string> {
  const key = wildcard ? matched : matched[0];
  let services = entryServicesOf.get(key);
  if (services === undefined) {
    const typed = wildcard ? matched.filter((action) => action.resourceTypes.length > 0) : matched;
    services = new Set<string>([canonicalService(service.prefix)]);
    if (typed.length === 0) services.add('*');
    for (const action of typed) for (const other of resourceServices(action, catalog)) services.add(other);
    entryServicesOf.set(key, services);
  }
  return services;
}

function serviceOf(arn: string): string | undefined {
  const service = parseArn(arn)?.service?.toLowerCase();
  if (service === undefined || service === '' || /[*?$]/.test(service)) return undefined;
  return canonicalService(service);
}

const list = (names: string[]): string => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/**
 * Whether the statement's actions and resources apply to each other. A resource of another
 * service than every action (a logs ARN for cloudformation:CreateStack) is surely a mistake:
 * a Warning. Within one service, the catalog's resource types decide, but AWS's own policies
 * show the service reference is not complete there (actions it calls "*"-only that AWS
 * grants on ARNs), so those findings are Information.
 */
function matchActionsAndResources(info: StatementInfo, catalog: Catalog, findings: Report[]): void {
  if (info.granted === undefined || info.granted.length === 0 || info.resourceElement !== 'Resource' || info.resources.length === 0) return;
  if (coversEverything(info.resources)) return;
  // Malformed entries are reported elsewhere; judge the ARNs that can be read. An ARN of an
  // unknown service is reported as such and says nothing about the actions.
  const arns = info.resources
    .filter((node) => parseArn(node.value as string) !== undefined)
    .map((node) => ({ node, arn: node.value as string, service: serviceOf(node.value as string) }))
    .filter((item) => item.service === undefined || catalog.hasService(item.service));
  if (arns.length === 0) return;

  // Per action entry: the actions it stands for, and the services whose resources they take.
  const entries = info.actions.flatMap((entry) => {
    const resolved = entryActions(entry, catalog);
    const service = resolved?.service;
    if (service === undefined) return [];
    const matched = resolved!.matched;
    if (matched.length === 0) return [];
    return [{ entry, service, matched, services: entryServices(service, matched, entry.wildcard, catalog) }];
  });
  const takes = (services: Set<string>, arnService: string | undefined): boolean => arnService === undefined || services.has('*') || services.has(arnService);

  for (const { node, service } of arns) {
    if (service === undefined || entries.some((item) => takes(item.services, service))) continue;
    const names = [...new Set(info.actions.map((entry) => entry.text))];
    findings.push(
      finding(
        'resource-matches-no-action',
        `This statement's actions (${list(names)}) are not ${catalog.serviceName(service) ?? service} actions: none applies to ${JSON.stringify(node.value)}, so it grants nothing on it.`,
        ...inside(node),
      ),
    );
  }

  /** Whether any of the statement's ARNs can be of a template's type, per template. */
  const templateMatches = new Map<string, boolean>();
  // A template names its service, so ARNs of other services never match it: all can be tried.
  const anyArnMatches = (template: string): boolean => {
    let result = templateMatches.get(template);
    if (result === undefined) {
      result = arns.some((item) => arnMatchesTemplate(item.arn, template));
      templateMatches.set(template, result);
    }
    return result;
  };

  for (const { entry, service, matched, services } of entries) {
    const sameService = arns.filter((item) => takes(services, item.service));
    if (sameService.length === 0) {
      if (!entry.wildcard) {
        const action = matched[0];
        findings.push(
          finding(
            'action-matches-no-resource',
            `${service.prefix}:${action.name} applies to none of these resources (it takes ${describeTypes(action, catalog)}): it is never allowed here.`,
            ...inside(entry.node),
          ),
        );
      }
      continue;
    }
    // A whole service ("s3:*") is broad on purpose; narrower patterns say what they mean.
    if (entry.name === '*') continue;
    const idle = matched.filter((action) => {
      const templates = actionTemplates(action, catalog);
      if (templates === undefined) return false; // the catalog does not say: assume it applies
      return !templates.some(anyArnMatches);
    });
    if (idle.length === 0) continue;
    if (!entry.wildcard) {
      const action = idle[0];
      const message =
        action.resourceTypes.length === 0
          ? `By the service reference, ${service.prefix}:${action.name} supports no resource-level permissions (it needs "Resource": "*"), so these resources may never allow it.`
          : `By the service reference, ${service.prefix}:${action.name} takes ${describeTypes(action, catalog)}; none of these resources matches, so it may never be allowed here.`;
      findings.push(finding('resource-type-mismatch', message, ...inside(entry.node)));
    } else {
      const names = idle.map((action) => action.name);
      findings.push(
        finding(
          'resource-type-mismatch',
          `${idle.length} of the ${matched.length} actions ${JSON.stringify(entry.text)} matches apply, by the service reference, to none of these resources (${list(names)}).`,
          ...inside(entry.node),
        ),
      );
    }
  }
}

function describeTypes(action: ActionData, catalog: Catalog): string {
  const service = catalog.service(action.service);
  const arns = action.resourceTypes.map((type) => service?.resourceTypes.get(type.name.toLowerCase())?.arn).filter((arn): arn is string => arn !== undefined);
  if (arns.length === 0) return action.resourceTypes.map((type) => type.name).join(', ');
  return arns.slice(0, 2).join(' or ') + (arns.length > 2 ? ` and ${arns.length - 2} more` : '');
}
