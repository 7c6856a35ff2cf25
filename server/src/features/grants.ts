/**
 * What a policy grants, over LSP: a CodeLens on each statement ("Allows 143 actions in 3
 * services: 12 Write, 2 Permissions management"), the policy summary (iamPolicy/summary), the
 * simulator (iamPolicy/simulate) and the semantic diff of two texts (iamPolicy/grantsDiff).
 *
 * All of it is computed when asked, never while checking: the diagnostics of a keystroke do not
 * wait for any expansion. A request may wait for the services the document needs to load (a
 * few milliseconds each; "*" needs them all, which the server loads at start anyway).
 */
import type { CodeLens, CodeLensParams, Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  diffGrants,
  GrantsDiffRequest,
  policyGrants,
  policyGrantsFully,
  SHOW_SUMMARY_COMMAND,
  simulate,
  SimulateRequest,
  statementHeadline,
  summarize,
  SummaryRequest,
  type Catalog,
  type GrantsDiff,
  type GrantsDiffParams,
  type PolicyGrants,
  type SimulateParams,
  type SimulationResult,
  type SummaryParams,
  type SummaryResult,
} from 'iam-policy-engine';
import type { CatalogService } from '../catalogService';
import type { DocumentState, DocumentStore } from '../documents';
import type { Validator } from '../validation';
import { guarded, type Log } from './guard';

interface Deps {
  store: DocumentStore;
  validator: Validator;
  catalog: CatalogService;
  log: Log;
}

/**
 * Whether the document is one policy. A CloudFormation template holds several, each of its own
 * kind, inside YAML or JSON that is no policy itself: its policies are not summarized (yet), and
 * reading the template's text as one policy would say it grants nothing.
 */
function isOnePolicy(state: DocumentState): boolean {
  return state.analysis.isPolicy && state.analysis.template === undefined;
}

/** The grants of an open policy as it is now, with the services it needs loaded; undefined when it is not a policy. */
async function currentGrants(
  deps: Deps,
  uri: string,
): Promise<{ document: TextDocument; state: DocumentState; grants: PolicyGrants; catalog: Catalog } | undefined> {
  const catalog = deps.catalog.catalog;
  for (let round = 0; round < 3; round++) {
    const document = deps.store.get(uri);
    if (document === undefined || catalog === undefined) return undefined;
    const state = deps.validator.current(document);
    if (state === undefined || !isOnePolicy(state)) return undefined;
    const grants = policyGrants(document.getText(), state.analysis.policy, catalog, state.analysis.kind, deps.store.engine(uri).grants);
    if (grants.missing.length === 0 || round === 2) return { document, state, grants, catalog };
    await catalog.load(grants.missing);
  }
  return undefined;
}

export function registerGrantFeatures(connection: Connection, deps: Deps): void {
  const { log } = deps;

  connection.onCodeLens(
    guarded(log, 'in code lens', [] as CodeLens[], async (params: CodeLensParams): Promise<CodeLens[]> => {
      const current = await currentGrants(deps, params.textDocument.uri);
      if (current === undefined) return [];
      const { document, grants } = current;
      return grants.statements.map((statement) => {
        const start = document.positionAt(statement.offset);
        return {
          range: { start, end: start },
          command: { title: statementHeadline(statement), command: SHOW_SUMMARY_COMMAND, arguments: [document.uri, statement.index] },
        };
      });
    }),
  );

  connection.onRequest(
    SummaryRequest.method,
    guarded(log, 'in summary', null, async (params: SummaryParams): Promise<SummaryResult | null> => {
      const current = await currentGrants(deps, params.uri);
      if (current === undefined) return null;
      const summary = summarize(current.grants, {
        ...(params.expand !== undefined ? { expand: params.expand } : {}),
        ...(params.filter !== undefined ? { filter: params.filter } : {}),
      });
      return { ...summary, uri: params.uri, version: current.document.version };
    }),
  );

  connection.onRequest(
    SimulateRequest.method,
    guarded(log, 'in simulate', null, async (params: SimulateParams): Promise<(SimulationResult & { version: number }) | null> => {
      const document = deps.store.get(params.uri);
      const state = document === undefined ? undefined : deps.validator.current(document);
      if (document === undefined || state === undefined || !isOnePolicy(state)) return null;
      const result = simulate(state.analysis.policy, { action: params.action, resource: params.resource, context: params.context ?? {} });
      const note = await unknownActionNote(deps, params.action);
      if (note !== undefined) result.notes.unshift(note);
      return { ...result, version: document.version };
    }),
  );

  connection.onRequest(
    GrantsDiffRequest.method,
    guarded(log, 'in grants diff', { added: [], removed: [], complete: false } as GrantsDiff, async (params: GrantsDiffParams): Promise<GrantsDiff> => {
      const catalog = deps.catalog.catalog;
      if (catalog === undefined) return { added: [], removed: [], complete: false };
      const [before, after] = await Promise.all([
        policyGrantsFully(params.before, catalog, params.kind),
        policyGrantsFully(params.after, catalog, params.kind),
      ]);
      return diffGrants(before, after);
    }),
  );
}

/** A note when the simulated action is not one the catalog knows (a typo answers "not allowed" for the wrong reason). */
async function unknownActionNote(deps: Deps, action: string): Promise<string | undefined> {
  const catalog = deps.catalog.catalog;
  const colon = action.indexOf(':');
  if (catalog === undefined || colon < 0) return colon < 0 ? `${action} is not an action: actions are service:Name, as in s3:GetObject.` : undefined;
  const prefix = action.slice(0, colon);
  if (!catalog.hasService(prefix)) return `No AWS service has the prefix ${JSON.stringify(prefix)}: check the action's spelling.`;
  await catalog.load([prefix]);
  const known = catalog.service(prefix)?.actions.has(action.slice(colon + 1).toLowerCase());
  return known === false ? `${action} is not an action of the service catalog: check its spelling.` : undefined;
}
