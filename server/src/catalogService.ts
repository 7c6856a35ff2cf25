/**
 * The service catalog, read in the background: the hard rules and the grammar are checked
 * from the first keystroke, and documents are checked again once it is there. Its services
 * then decode as the checks ask for them, at once (see engine/src/catalog.ts).
 */
import type { Catalog } from 'iam-policy-engine';
import { createCatalog } from './catalogFiles';

export type CatalogState = 'loading' | 'ready' | 'failed';

export class CatalogService {
  catalog: Catalog | undefined;
  state: CatalogState = 'loading';
  /** Settles when the catalog is there or has failed (never rejects). */
  readonly ready: Promise<Catalog | undefined>;

  constructor(log: (message: string) => void, onReady: () => void) {
    const started = Date.now();
    this.ready = createCatalog().then(
      (loaded) => {
        this.catalog = loaded;
        this.state = 'ready';
        log(`Service catalog ${loaded.version} ready in ${Date.now() - started} ms (${loaded.servicePrefixes().length} services).`);
        onReady();
        return loaded;
      },
      (error: unknown) => {
        this.state = 'failed';
        log(
          `The service catalog could not be loaded, so actions, resources and condition keys are not checked against it: ${error instanceof Error ? error.message : String(error)}`,
        );
        return undefined;
      },
    );
  }

  /** Loads services the catalog has not yet (never rejects); whether anything new came. */
  async load(services: Iterable<string>): Promise<boolean> {
    const catalog = await this.ready;
    return catalog === undefined ? false : catalog.load(services);
  }
}
