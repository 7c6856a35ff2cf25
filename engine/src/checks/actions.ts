/**
 * Actions: the vendor:Action shape IAM requires (Errors), and against the service catalog
 * what it accepts but grants nothing with (Warnings), plus case and redundancy hints.
 */
import type { Catalog } from '../catalog';
import { removeProperty } from '../edits';
import { finding, type Report } from '../findings';
import { closest } from '../similar';
import { actionsMatching, entryActions, literalStart, wildcardPattern, type ActionEntry, type StatementInfo } from '../statements';

/**
 * What IAM takes as an action's vendor: letters, digits, hyphens and dots, or "*" alone
 * (IAM: "Vendor a a is not valid" for anything else, as moto's validator mirrors it). Empty
 * and dotted vendors, and "*", are no service's, but IAM stores them: Warnings against the
 * catalog, not Errors.
 */
const VENDOR = /^(\*|[A-Za-z0-9.-]*)$/;
const ACTION_NAME = /^[A-Za-z0-9_*?-]+$/;

/** @param text the document, for the quick fixes that remove an entry */
export function checkActions(infos: readonly StatementInfo[], catalog: Catalog | undefined, missing: Set<string>, text?: string): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    for (const entry of info.actions) checkEntry(entry, catalog, missing, findings);
    redundant(info.actions, findings, text);
  }
  return findings;
}

/** The whole string token of a node (with its quotes), what a replacement of its value replaces. */
export function token(node: { offset: number; length: number }): { offset: number; length: number } {
  return { offset: node.offset, length: node.length };
}

/** Whether a string token's value stands in the text as written (no escapes): offsets inside it are exact. */
export function plain(node: { length: number; value?: unknown }): boolean {
  return typeof node.value === 'string' && node.value.length === node.length - 2;
}

/** Offset and length of the inside of a string node (without quotes). */
export function inside(node: { offset: number; length: number }): [number, number] {
  return [node.offset + 1, Math.max(0, node.length - 2)];
}

function checkEntry(entry: ActionEntry, catalog: Catalog | undefined, missing: Set<string>, findings: Report[]): void {
  const { node, text } = entry;
  if (entry.all) return;
  // The common case (service:Action, parsed once by parseActionEntry) skips the shape checks.
  const colons = entry.vendor !== undefined ? 1 : text.split(':').length - 1;
  if (colons === 0) {
    findings.push(
      finding(
        'invalid-action',
        `Action ${JSON.stringify(text)} has no service prefix: IAM requires service:Action, as in s3:GetObject ("Actions must be prefaced by a vendor").`,
        ...inside(node),
      ),
    );
    return;
  }
  if (colons > 1) {
    findings.push(
      finding(
        'invalid-action',
        `Action ${JSON.stringify(text)} has ${colons} colons: IAM allows only one, between the service prefix and the action name.`,
        ...inside(node),
      ),
    );
    return;
  }
  const vendor = text.slice(0, text.indexOf(':'));
  const name = text.slice(vendor.length + 1);
  if (entry.vendor === undefined && !VENDOR.test(vendor)) {
    findings.push(
      finding(
        'invalid-action',
        `The service prefix ${JSON.stringify(vendor)} is not valid: IAM rejects it ("Vendor ${vendor} is not valid"). Prefixes are letters, digits and hyphens, as in s3 or execute-api.`,
        node.offset + 1,
        Math.max(1, vendor.length),
      ),
    );
    return;
  }
  // A policy variable in the name: IAM does not substitute it there (checks/variables.ts says so).
  if (name.includes('${')) return;
  if (vendor === '' || vendor === '*') {
    const what = vendor === '' ? 'an empty service prefix' : 'a wildcard for the service prefix';
    findings.push(
      finding(
        'unknown-service',
        `${JSON.stringify(text)} has ${what}: IAM stores it, but no service has that prefix; name the service, as in s3:${name || 'GetObject'}.`,
        node.offset + 1,
        Math.max(1, vendor.length),
      ),
    );
    return;
  }
  if (!ACTION_NAME.test(name)) {
    const bad = name === '' ? undefined : [...name].find((char) => !/[A-Za-z0-9_*?-]/.test(char));
    const what = bad === undefined ? 'is empty' : bad.trim() === '' ? 'has white space' : `has ${JSON.stringify(bad)}`;
    findings.push(
      finding(
        'unknown-action',
        `Action ${JSON.stringify(text)} ${what}: no action matches it, so it grants nothing. Action names are letters and digits, with * and ? wildcards.`,
        ...inside(node),
      ),
    );
    return;
  }
  if (catalog === undefined) return;
  // The entry's own lower-case prefix when it has one: the same string every check asks with.
  const prefix = entry.vendor ?? vendor;
  if (!catalog.hasService(prefix)) {
    const suggestion = closest(vendor, catalog.servicePrefixes());
    findings.push(
      finding(
        'unknown-service',
        `No AWS service has the prefix ${JSON.stringify(vendor)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ' (a retired service?)'}: ${JSON.stringify(text)} grants nothing.`,
        node.offset + 1,
        vendor.length,
        undefined,
        suggestion === undefined || !plain(node) ? undefined : { suggestions: [suggestion] },
      ),
    );
    return;
  }
  const service = catalog.service(prefix);
  if (service === undefined) {
    if (!catalog.isLoaded(prefix)) missing.add(prefix.toLowerCase());
    return;
  }
  const matched = entry.vendor !== undefined ? entryActions(entry, catalog)!.matched : actionsMatching(service, name);
  const nameStart = node.offset + 1 + vendor.length + 1;
  if (entry.wildcard) {
    if (matched.length === 0) {
      findings.push(
        finding(
          'wildcard-matches-nothing',
          `${JSON.stringify(text)} matches no action of ${service.name} (${service.prefix}): it grants nothing.`,
          nameStart,
          name.length,
        ),
      );
    }
    return;
  }
  const action = matched[0];
  if (action === undefined) {
    const suggestion = closest(
      name,
      [...service.actions.values()].map((candidate) => candidate.name),
    );
    const suggested = suggestion === undefined ? undefined : `${service.prefix}:${suggestion}`;
    findings.push(
      finding(
        'unknown-action',
        `${service.name} has no action ${JSON.stringify(name)}${suggested ? ` (did you mean ${JSON.stringify(suggested)}?)` : ''}: IAM accepts the entry, but it grants nothing.`,
        nameStart,
        name.length,
        undefined,
        suggested === undefined ? undefined : { suggestions: [suggested], target: token(node) },
      ),
    );
    return;
  }
  if (action.name !== name) {
    const canonical = `${service.prefix}:${action.name}`;
    findings.push(
      finding('action-case', `The documented spelling is ${canonical} (IAM ignores case).`, nameStart, name.length, undefined, {
        suggestions: [canonical],
        sure: true,
        target: token(node),
      }),
    );
  }
}

/** Entries covered by another entry of the same statement (a wildcard, or the same action twice). */
function redundant(entries: readonly ActionEntry[], findings: Report[], text: string | undefined): void {
  if (entries.length < 2) return;
  // The fix takes the entry out of its list, with the comma that separates it.
  const removal = (entry: ActionEntry) =>
    text !== undefined && entry.node.parent?.type === 'array' ? { edits: [removeProperty(text, entry.node)] } : undefined;
  const all = entries.find((entry) => entry.all);
  const seen = new Map<string, ActionEntry>();
  // Each wildcard entry's lower-case text and pattern, worked out once: every other entry of its
  // service is tried against it (hundreds in some statements, on a first check not yet optimized).
  // Its literal start too (see literalStart): an entry that does not begin with it is not
  // covered, and most are ruled out on that without the pattern.
  const wildcardsByVendor = new Map<string, Array<{ entry: ActionEntry; index: number; lower: string; head: string; pattern: RegExp; question: boolean }>>();
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry.vendor === undefined || !entry.wildcard) continue;
    let list = wildcardsByVendor.get(entry.vendor);
    if (list === undefined) wildcardsByVendor.set(entry.vendor, (list = []));
    list.push({ entry, index, lower: entry.lower, head: literalStart(entry.lower), pattern: wildcardPattern(entry.text), question: entry.text.includes('?') });
  }
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry.all) {
      if (entry !== all) findings.push(finding('redundant-action', '"*" is listed twice.', ...inside(entry.node), undefined, removal(entry)));
      continue;
    }
    if (all !== undefined) {
      findings.push(
        finding(
          'redundant-action',
          `${JSON.stringify(entry.text)} is already covered by "*" in this statement.`,
          ...inside(entry.node),
          undefined,
          removal(entry),
        ),
      );
      continue;
    }
    if (entry.vendor === undefined) continue;
    const key = entry.lower;
    const duplicate = seen.get(key);
    if (duplicate !== undefined) {
      findings.push(
        finding('redundant-action', `${JSON.stringify(entry.text)} is listed twice in this statement.`, ...inside(entry.node), undefined, removal(entry)),
      );
      continue;
    }
    seen.set(key, entry);
    let coveredBy: ActionEntry | undefined;
    const wildcards = wildcardsByVendor.get(entry.vendor);
    for (let other = 0; wildcards !== undefined && other < wildcards.length; other++) {
      const wildcard = wildcards[other];
      if (
        wildcard.entry === entry ||
        wildcard.lower === key ||
        (entry.wildcard && wildcard.question) ||
        !key.startsWith(wildcard.head) ||
        !wildcard.pattern.test(entry.text)
      )
        continue;
      // Of two patterns that cover each other (Get* and Get**), only the later is redundant.
      if (wildcard.index > index && wildcardPattern(entry.text).test(wildcard.entry.text)) continue;
      coveredBy = wildcard.entry;
      break;
    }
    if (coveredBy !== undefined) {
      findings.push(
        finding(
          'redundant-action',
          `${JSON.stringify(entry.text)} is already covered by ${JSON.stringify(coveredBy.text)} in this statement.`,
          ...inside(entry.node),
          undefined,
          removal(entry),
        ),
      );
    }
  }
}
