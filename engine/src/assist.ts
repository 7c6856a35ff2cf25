/**
 * Editing help from the engine: what to complete at a place in a policy, and what to say
 * when hovering over one. No LSP types here; the server adapts them (features/).
 */
import { getLocation, type Location } from 'jsonc-parser';
import type { ActionData, Catalog, ConditionKeyData, ServiceData } from './catalog';
import { STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS, PRINCIPAL_TYPES } from './checks/elements';
import { OPERATORS, parseOperator, SET_PREFIXES } from './conditions';
import type { Node, ParsedJson } from './json';
import { POLICY_VERSIONS } from './limits';
import { findProperty, nodeAt, pathOf, propertyValue } from './model';
import { entryActions, parseActionEntry } from './statements';

export type CompletionKind = 'property' | 'value' | 'service' | 'action' | 'operator' | 'conditionKey' | 'arn' | 'keyword';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** One line: a service's name, an action's access level, a key's type. */
  detail?: string;
  /**
   * Markdown, or what makes it: an action list's documentation (a few hundred actions for some
   * services) is made only for the items a client shows (see documentationOf).
   */
  documentation?: string | (() => string);
  /** The text that replaces the range; a snippet when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
  /** What the client filters and sorts by, when not the label. */
  filterText?: string;
  sortText?: string;
  /** Ask for completion again after inserting (service prefix → its actions). */
  retrigger?: boolean;
}

/** An item's documentation as Markdown, made now if it was left to be made when asked for. */
export function documentationOf(item: Completion): string | undefined {
  return typeof item.documentation === 'function' ? item.documentation() : item.documentation;
}

export interface CompletionResult {
  items: Completion[];
  /** The range the items replace. */
  offset: number;
  length: number;
  /** More may come once services load. */
  incomplete: boolean;
}

export interface HoverResult {
  markdown: string;
  offset: number;
  length: number;
}

/** Where in the policy a location is: which statement element, and the path inside it. */
interface Place {
  /** The path from the root, with statement indexes dropped: ['Statement', 'Condition', 'StringEquals']. */
  path: Array<string | number>;
  inStatement: boolean;
  /** The path below the statement: ['Action', 0] or ['Condition', 'StringEquals', 'aws:SourceIp']. */
  statementPath: Array<string | number>;
}

function place(path: ReadonlyArray<string | number>): Place {
  const inStatement = path[0] === 'Statement' && path.length > 1;
  const below = inStatement ? (typeof path[1] === 'number' ? path.slice(2) : path.slice(1)) : [];
  return { path: [...path], inStatement, statementPath: below };
}

/** The statement object that contains `offset`, from the parse tree. */
function statementAt(parsed: ParsedJson, offset: number): Node | undefined {
  const statementValue = propertyValue(findProperty(parsed.root, 'Statement'));
  if (statementValue === undefined) return undefined;
  if (statementValue.type === 'object') return statementValue;
  return statementValue.children?.find((child) => child.type === 'object' && child.offset <= offset && offset <= child.offset + child.length);
}

/**
 * The keys an object has. jsonc-parser's idea of where the cursor is comes from its own
 * reading of the text, which can differ from our tree's on broken JSON (`[{}` is an array to
 * us): anything but an object has no keys.
 */
function keysOf(node: Node | undefined): Set<string> {
  const keys = new Set<string>();
  if (node?.type !== 'object') return keys;
  for (const property of node.children ?? []) {
    const key = property.children?.[0];
    if (property.type === 'property' && typeof key?.value === 'string') keys.add(key.value);
  }
  return keys;
}

/** The action entries of a statement, to know its services and actions. */
function statementActions(statement: Node | undefined): string[] {
  const value = propertyValue(findProperty(statement, 'Action'));
  if (value?.type === 'string') return [value.value as string];
  if (value?.type === 'array') return value.children!.filter((child) => child.type === 'string').map((child) => child.value as string);
  return [];
}

/** Services named by a statement's actions (to load before completing or hovering). */
export function servicesAt(text: string, parsed: ParsedJson, offset: number): string[] {
  const services = new Set<string>();
  for (const action of statementActions(statementAt(parsed, offset))) {
    const colon = action.indexOf(':');
    if (colon > 0) services.add(action.slice(0, colon).toLowerCase());
  }
  const location = cursorLocation(text, parsed, offset);
  const previous = location?.previousNode;
  if ((previous?.type === 'string' || previous?.type === 'property') && typeof previous.value === 'string' && previous.value.includes(':')) {
    services.add(previous.value.slice(0, previous.value.indexOf(':')).toLowerCase());
  }
  return [...services];
}

/** Where the cursor is, as jsonc-parser's getLocation tells it. */
export type CursorLocation = Pick<Location, 'path' | 'previousNode' | 'isAtPropertyKey'>;

/**
 * Where the cursor is. getLocation reads the text from its start up to the cursor, 1 ms at the
 * end of a 131,072-character policy for each completion and hover: when the document is valid
 * JSON, the statement around the cursor is read alone and the path to it put in front. Broken
 * JSON is read whole, as jsonc-parser's own recovery may see other statements than ours.
 */
export function cursorLocation(text: string, parsed: ParsedJson, offset: number): CursorLocation | undefined {
  const around = parsed.problems.length === 0 ? statementAround(parsed, offset) : undefined;
  if (around !== undefined) {
    const { statement, path } = around;
    const inner = safeLocation(text.slice(statement.offset, statement.offset + statement.length), offset - statement.offset);
    if (inner !== undefined) {
      const previous = inner.previousNode;
      return {
        path: [...path, ...inner.path],
        isAtPropertyKey: inner.isAtPropertyKey,
        previousNode:
          previous === undefined
            ? undefined
            : {
                ...previous,
                offset: previous.offset + statement.offset,
                ...(previous.colonOffset !== undefined ? { colonOffset: previous.colonOffset + statement.offset } : {}),
              },
      };
    }
  }
  return safeLocation(text, offset);
}

/** The statement whose braces hold the offset (not at them), and its path from the root. */
function statementAround(parsed: ParsedJson, offset: number): { statement: Node; path: Array<string | number> } | undefined {
  const statementValue = propertyValue(findProperty(parsed.root, 'Statement'));
  if (statementValue === undefined) return undefined;
  const inside = (node: Node): boolean => node.type === 'object' && node.offset < offset && offset < node.offset + node.length - 1;
  if (statementValue.type === 'object') return inside(statementValue) ? { statement: statementValue, path: ['Statement'] } : undefined;
  const index = statementValue.children?.findIndex(inside) ?? -1;
  return index < 0 ? undefined : { statement: statementValue.children![index], path: ['Statement', index] };
}

/** jsonc-parser's location, or undefined when it cannot tell (extreme nesting). */
function safeLocation(text: string, offset: number): Location | undefined {
  try {
    return getLocation(text, offset);
  } catch {
    return undefined;
  }
}

export function complete(text: string, parsed: ParsedJson, offset: number, catalog: Catalog | undefined): CompletionResult {
  const empty: CompletionResult = { items: [], offset, length: 0, incomplete: false };
  const location = cursorLocation(text, parsed, offset);
  if (location === undefined) return empty;
  const previous = location.previousNode;
  // Inside a string (key or value): replace its content up to the closing quote.
  let inString = false;
  let typed = '';
  let rangeStart = offset;
  let rangeEnd = offset;
  if (
    previous !== undefined &&
    (previous.type === 'string' || previous.type === 'property') &&
    offset > previous.offset &&
    offset <= previous.offset + previous.length
  ) {
    inString = true;
    rangeStart = previous.offset + 1;
    const closed = text.charAt(previous.offset + previous.length - 1) === '"' && previous.length > 1;
    // Just past a closing quote is outside the string: the range must hold the cursor (LSP).
    if (closed && offset === previous.offset + previous.length) return empty;
    rangeEnd = closed ? previous.offset + previous.length - 1 : previous.offset + previous.length;
    typed = text.slice(rangeStart, offset);
  }
  const quote = (value: string): string => (inString ? value : JSON.stringify(value));
  const where = place(location.path);
  const statement = statementAt(parsed, offset);
  const result = (items: Completion[], incomplete = false): CompletionResult => ({ items, offset: rangeStart, length: rangeEnd - rangeStart, incomplete });

  if (location.isAtPropertyKey) {
    const container = where.path.slice(0, -1);
    const parent = place(container);
    const keyItem = (name: string, detail: string, valueSnippet: string): Completion => ({
      label: name,
      kind: 'property',
      detail,
      insertText: inString ? name : `"${name}": ${valueSnippet}`,
      snippet: !inString,
    });
    if (container.length === 0) {
      // jsonc-parser says "a key at the top" after `[{}` too: a policy's elements belong in an object.
      if (parsed.root?.type !== 'object') return empty;
      const present = keysOf(parsed.root);
      return result(
        TOP_LEVEL_ELEMENTS.filter((name) => !present.has(name)).map((name) =>
          keyItem(name, ELEMENT_DOCS[name], name === 'Version' ? '"2012-10-17"' : name === 'Statement' ? '[\n\t{\n\t\t$0\n\t}\n]' : '"$1"'),
        ),
      );
    }
    if (parent.inStatement && parent.statementPath.length === 0) {
      const present = keysOf(statement);
      return result(STATEMENT_ELEMENTS.filter((name) => !present.has(name)).map((name) => keyItem(name, ELEMENT_DOCS[name], VALUE_SNIPPETS[name] ?? '"$1"')));
    }
    const [element, operator] = parent.statementPath;
    if (element === 'Condition' && parent.statementPath.length === 1) {
      return result(operatorCompletions(inString));
    }
    if (element === 'Condition' && parent.statementPath.length === 2 && typeof operator === 'string') {
      return conditionKeyCompletions(statement, catalog, inString, result, typed);
    }
    if ((element === 'Principal' || element === 'NotPrincipal') && parent.statementPath.length === 1) {
      return result(PRINCIPAL_TYPES.map((name) => keyItem(name, PRINCIPAL_DOCS[name], '"$1"')));
    }
    return empty;
  }

  if (!where.inStatement) {
    if (where.path.length === 1 && where.path[0] === 'Version') {
      return result(
        POLICY_VERSIONS.map((version, index) => ({
          label: version,
          kind: 'value' as const,
          detail: index === 0 ? 'The current policy language (policy variables work)' : 'The old policy language (no policy variables)',
          insertText: quote(version),
          sortText: String(index),
        })),
      );
    }
    return empty;
  }
  const [element] = where.statementPath;
  if (element === 'Effect' && where.statementPath.length === 1) {
    return result(['Allow', 'Deny'].map((value) => ({ label: value, kind: 'value' as const, insertText: quote(value) })));
  }
  if ((element === 'Action' || element === 'NotAction') && where.statementPath.length <= 2) {
    return actionCompletions(typed, catalog, quote, result);
  }
  if ((element === 'Resource' || element === 'NotResource') && where.statementPath.length <= 2) {
    return result(resourceCompletions(statement, catalog, inString));
  }
  return empty;
}

const ELEMENT_DOCS: Record<string, string> = {
  Version: 'The policy language version: "2012-10-17".',
  Id: 'An optional identifier for the policy.',
  Statement: 'One statement object, or an array of them.',
  Sid: 'An optional statement id: ASCII letters and digits, unique in the policy.',
  Effect: 'Allow or Deny.',
  Action: 'The actions the statement applies to: service:Action, with * and ? wildcards.',
  NotAction: 'Every action except these.',
  Resource: 'The resources: "*" or ARNs.',
  NotResource: 'Every resource except these.',
  Principal: 'Who the statement applies to (resource-based and trust policies only).',
  NotPrincipal: 'Everyone except these principals (resource-based policies only).',
  Condition: 'When the statement applies: {"Operator": {"key": "value"}}.',
};

const VALUE_SNIPPETS: Record<string, string> = {
  Effect: '"${1|Allow,Deny|}"',
  Action: '"$1"',
  NotAction: '"$1"',
  Resource: '"${1:*}"',
  NotResource: '"$1"',
  Principal: '{"${1|AWS,Service,Federated,CanonicalUser|}": "$2"}',
  NotPrincipal: '{"AWS": "$1"}',
  Condition: '{\n\t"${1:StringEquals}": {\n\t\t"$2": "$3"\n\t}\n}',
};

const PRINCIPAL_DOCS: Record<string, string> = {
  AWS: 'Accounts, users and roles: "*", 123456789012, or IAM/STS ARNs.',
  Service: 'AWS services, such as lambda.amazonaws.com.',
  Federated: 'Web identity or SAML providers.',
  CanonicalUser: 'An S3 canonical user id.',
};

function operatorCompletions(inString: boolean): Completion[] {
  const items: Completion[] = [];
  let order = 0;
  for (const info of OPERATORS.values()) {
    const names = info.family === 'Null' ? [info.name] : [info.name, `${info.name}IfExists`];
    for (const name of names) {
      const documentation = name.endsWith('IfExists') ? `${info.description} True also when the key is absent.` : info.description;
      items.push({
        label: name,
        kind: 'operator',
        detail: `${info.family} condition operator`,
        documentation,
        insertText: inString ? name : `"${name}": {\n\t"$1": "$2"\n}`,
        snippet: !inString,
        sortText: String(order++).padStart(3, '0'),
      });
      if (info.family === 'String' || info.family === 'Arn') {
        for (const prefix of SET_PREFIXES) {
          items.push({
            label: `${prefix}${name}`,
            kind: 'operator',
            detail: `${info.family} condition operator for multivalued keys`,
            documentation: `${prefix === 'ForAnyValue:' ? 'At least one' : 'Every'} value in the request must match. ${documentation}`,
            insertText: inString ? `${prefix}${name}` : `"${prefix}${name}": {\n\t"$1": "$2"\n}`,
            snippet: !inString,
            sortText: `9${String(order++).padStart(3, '0')}`,
          });
        }
      }
    }
  }
  return items;
}

function conditionKeyCompletions(
  statement: Node | undefined,
  catalog: Catalog | undefined,
  inString: boolean,
  result: (items: Completion[], incomplete?: boolean) => CompletionResult,
  typed: string,
): CompletionResult {
  if (catalog === undefined) return result([], true);
  const keys = new Map<string, ConditionKeyData & { scope: string }>();
  for (const data of catalog.globalConditionKeys()) keys.set(data.key.toLowerCase(), { ...data, scope: 'global' });
  let incomplete = false;
  for (const action of actionsOf(statement, catalog)) {
    const service = catalog.service(action.service);
    for (const key of action.conditionKeys) {
      const data = catalog.conditionKey(key) ?? { key, description: '', type: 'String' };
      keys.set(key.toLowerCase(), { ...data, key, scope: service?.name ?? action.service });
    }
  }
  // Keys of services the typed prefix names (s3: → every S3 key).
  const colon = typed.indexOf(':');
  if (colon > 0) {
    const service = catalog.service(typed.slice(0, colon));
    if (service === undefined && catalog.hasService(typed.slice(0, colon))) incomplete = true;
    for (const data of service?.conditionKeys.values() ?? []) keys.set(data.key.toLowerCase(), { ...data, scope: service!.name });
    for (const { data } of service?.conditionKeyPrefixes ?? []) keys.set(data.key.toLowerCase(), { ...data, scope: service!.name });
  }
  return result(
    [...keys.values()].map((data) => ({
      label: data.key,
      kind: 'conditionKey' as const,
      detail: `${data.type} (${data.scope})`,
      documentation: data.description || undefined,
      insertText: inString ? data.key.replace(/\$\{/g, '\\${') : `"${data.key.replace(/\$\{/g, '\\${')}": "$1"`,
      snippet: true,
    })),
    incomplete,
  );
}

function actionsOf(statement: Node | undefined, catalog: Catalog): ActionData[] {
  const actions: ActionData[] = [];
  for (const text of statementActions(statement)) {
    const resolved = entryActions(parseActionEntry({ type: 'string', offset: 0, length: 0, value: text }), catalog);
    if (resolved !== undefined) actions.push(...resolved.matched);
  }
  return actions;
}

function actionCompletions(
  typed: string,
  catalog: Catalog | undefined,
  quote: (value: string) => string,
  result: (items: Completion[], incomplete?: boolean) => CompletionResult,
): CompletionResult {
  if (catalog === undefined) return result([], true);
  const colon = typed.indexOf(':');
  if (colon < 0) {
    return result(
      catalog.servicePrefixes().map((prefix) => ({
        label: prefix,
        kind: 'service' as const,
        detail: catalog.serviceName(prefix),
        insertText: quote(`${prefix}:`).replace(/"$/, ''),
        filterText: prefix,
        retrigger: true,
      })),
    );
  }
  const service = catalog.service(typed.slice(0, colon));
  if (service === undefined) return result([], catalog.hasService(typed.slice(0, colon)));
  const items: Completion[] = [
    { label: `${service.prefix}:*`, kind: 'action', detail: `Every ${service.name} action`, insertText: quote(`${service.prefix}:*`), sortText: '0' },
  ];
  for (const action of service.actions.values()) {
    items.push({
      label: `${service.prefix}:${action.name}`,
      kind: 'action',
      detail: action.accessLevel,
      documentation: () => actionMarkdown(service, action),
      insertText: quote(`${service.prefix}:${action.name}`),
      filterText: `${service.prefix}:${action.name}`,
      sortText: `1${action.name}`,
    });
  }
  return result(items);
}

function resourceCompletions(statement: Node | undefined, catalog: Catalog | undefined, inString: boolean): Completion[] {
  const items: Completion[] = [{ label: '*', kind: 'value', detail: 'Every resource', insertText: inString ? '*' : '"*"', sortText: '0' }];
  if (catalog === undefined) return items;
  const seen = new Set<string>();
  for (const action of actionsOf(statement, catalog)) {
    const service = catalog.service(action.service);
    for (const type of action.resourceTypes) {
      const resourceType = service?.resourceTypes.get(type.name.toLowerCase());
      if (resourceType === undefined || seen.has(resourceType.arn)) continue;
      seen.add(resourceType.arn);
      let index = 0;
      const snippet = resourceType.arn
        .replace(/\$\{Partition\}/g, 'aws')
        .replace(/\$\{Region\}/g, () => `\${${++index}:*}`)
        .replace(/\$\{Account\}/g, () => `\${${++index}:*}`)
        .replace(/\$\{([^}]+)\}/g, (_, name: string) => `\${${++index}:${name}}`);
      items.push({
        label: resourceType.arn,
        kind: 'arn',
        detail: `${service!.name} ${resourceType.key}`,
        insertText: inString ? snippet : `"${snippet}"`,
        snippet: true,
        sortText: `1${resourceType.key}`,
      });
    }
  }
  return items;
}

const DOCS_BASE = 'https://docs.aws.amazon.com/service-authorization/latest/reference';

/** The page of the Service Authorization Reference for a service. */
function serviceDocsUrl(service: ServiceData): string {
  return `${DOCS_BASE}/list_${service.name.toLowerCase().replace(/[^a-z0-9]/g, '')}.html`;
}

function actionMarkdown(service: ServiceData, action: ActionData): string {
  const lines = [`**${service.prefix}:${action.name}** (${action.accessLevel})`, '', action.description];
  const types = action.resourceTypes.map((type) => {
    const arn = service.resourceTypes.get(type.name.toLowerCase())?.arn;
    return `- ${type.name}${type.required ? ' (required)' : ''}${arn ? `: \`${arn}\`` : ''}`;
  });
  lines.push('', types.length > 0 ? '**Resource types**' : '**Resource types**: none (use `"Resource": "*"`)');
  lines.push(...types);
  if (action.conditionKeys.length > 0) lines.push('', `**Condition keys**: ${action.conditionKeys.map((key) => `\`${key}\``).join(', ')}`);
  lines.push('', `[${service.name} in the Service Authorization Reference](${serviceDocsUrl(service)})`);
  return lines.join('\n');
}

export function hover(parsed: ParsedJson, offset: number, catalog: Catalog | undefined): HoverResult | undefined {
  const root = parsed.root;
  if (root === undefined) return undefined;
  const node = nodeAt(root, offset);
  if (node?.type !== 'string') return undefined;
  const path = pathOf(node);
  const where = place(path);
  const value = node.value as string;
  const range = { offset: node.offset, length: node.length };
  const isKey = node.parent?.type === 'property' && node.parent.children![0] === node;
  if (!where.inStatement) return undefined;
  const [element, operator] = where.statementPath;

  if ((element === 'Action' || element === 'NotAction') && !isKey && catalog !== undefined) {
    const entry = parseActionEntry(node);
    if (entry.all) return { markdown: '`*`: every action of every service.', ...range };
    const resolved = entryActions(entry, catalog);
    const service = resolved?.service;
    if (service === undefined) return undefined;
    if (entry.wildcard) {
      const matched = [...resolved!.matched].sort((a, b) => a.name.localeCompare(b.name));
      const shown = matched.slice(0, 25).map((action) => `- ${service.prefix}:${action.name} (${action.accessLevel})`);
      const more = matched.length > 25 ? [`- … and ${matched.length - 25} more`] : [];
      return {
        markdown: [`**${value}** matches ${matched.length} ${service.name} action${matched.length === 1 ? '' : 's'}`, '', ...shown, ...more].join('\n'),
        ...range,
      };
    }
    const action = resolved!.matched[0];
    return action === undefined ? undefined : { markdown: actionMarkdown(service, action), ...range };
  }

  if (element === 'Condition' && isKey && where.statementPath.length === 2) {
    const parsedOperator = parseOperator(value);
    if (parsedOperator.base === undefined) return undefined;
    const lines = [`**${value}**: ${parsedOperator.base.description}`];
    if (parsedOperator.ifExists) lines.push('', 'IfExists: also true when the key is not in the request.');
    if (parsedOperator.setPrefix !== undefined)
      lines.push(
        '',
        `${parsedOperator.setPrefix} for multivalued keys: ${parsedOperator.setPrefix === 'ForAnyValue:' ? 'at least one' : 'every'} value in the request must match.`,
      );
    return { markdown: lines.join('\n'), ...range };
  }

  if (element === 'Condition' && isKey && where.statementPath.length === 3 && typeof operator === 'string' && catalog !== undefined) {
    const data = catalog.conditionKey(value);
    if (data === undefined) return undefined;
    const multivalued = data.type.startsWith('ArrayOf') ? ' (multivalued: use ForAnyValue: or ForAllValues:)' : '';
    return {
      markdown: [`**${data.key}**: ${data.type}${multivalued}`, '', data.description]
        .filter((line) => line !== undefined)
        .join('\n')
        .trim(),
      ...range,
    };
  }
  return undefined;
}
