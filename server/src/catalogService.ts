/**
 * The service catalog: read when the server is first idle after starting, or at once when a
 * check asks for it before that, so that no document is checked without it and checked again
 * when it comes (the first check of a large policy, cold, takes 30 ms or more; reading the
 * catalog takes a few). Its services then decode as the checks ask for them (see
 * engine/src/catalog.ts).
 */
import type { Catalog } from 'iam-policy-engine';
import { createCatalogNow } from './catalogFiles';

export type CatalogState = 'loading' | 'ready' | 'failed';

export class CatalogService {
  private loaded: Catalog | undefined;
  state: CatalogState = 'loading';

  constructor(private readonly log: (message: string) => void) {
    setImmediate(() => this.read());
  }

  /** The catalog, read now if it was not yet; undefined if it could not be read. */
  get catalog(): Catalog | undefined {
    if (this.state === 'loading') this.read();
    return this.loaded;
  }

  /** Loads services the catalog has not yet (never rejects); whether anything new came. */
  async load(services: Iterable<string>): Promise<boolean> {
    const catalog = this.catalog;
    return catalog === undefined ? false : catalog.load(services);
  }

  private read(): void {
    if (this.state !== 'loading') return;
    const started = performance.now();
    try {
      this.loaded = createCatalogNow();
      this.state = 'ready';
      this.log(
        `Service catalog ${this.loaded.version} ready in ${Math.round(performance.now() - started)} ms (${this.loaded.servicePrefixes().length} services).`,
      );
    } catch (error) {
      this.state = 'failed';
      this.log(
        `The service catalog could not be loaded, so actions, resources and condition keys are not checked against it: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
