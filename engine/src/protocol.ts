/**
 * The language server's own LSP messages, declared once for the server, the VS Code client,
 * the tests and the benchmark. Plain descriptors (the method, and the types as phantoms), so
 * that the engine's callers on both sides of the protocol share them without the engine
 * depending on an LSP library; each side registers or sends them with its own.
 */
import type { SimulationResult } from './evaluate';
import type { GrantsDiff } from './grantsDiff';
import type { KindSource, PolicyKind } from './kinds';
import type { PolicySummary } from './summary';

/** A request: its method, and its parameters and result as types. */
export interface RequestSpec<Params, Result> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: { params: Params; result: Result };
}

/** A notification: its method, and its parameters as a type. */
export interface NotificationSpec<Params> {
  readonly method: string;
  readonly types?: { params: Params };
}

export interface ServerStatus {
  catalog: 'loading' | 'ready' | 'failed';
  catalogVersion: string | undefined;
  /** Documents whose diagnostics are not final: services still loading, or settings on their way. */
  documentsWaitingForServices: number;
}

/**
 * `iamPolicy/status`: whether the catalog is ready and every open document's diagnostics are
 * final for its current text (tests and clients wait on it instead of sleeping).
 */
export const StatusRequest: RequestSpec<void, ServerStatus> = { method: 'iamPolicy/status' };

export interface DocumentKindParams {
  uri: string;
}

/** The kind a document is checked as, and how that was decided. */
export interface DocumentKind {
  kind: PolicyKind;
  /** "an S3 bucket policy". */
  label: string;
  source: KindSource;
}

/** `iamPolicy/documentKind`: the kind an open document is checked as; null when it is not a policy. */
export const DocumentKindRequest: RequestSpec<DocumentKindParams, DocumentKind | null> = { method: 'iamPolicy/documentKind' };

export interface SetKindParams {
  uri: string;
  /** The kind the user picked in the editor; null to go back to the file name, the configuration or the content. */
  kind: PolicyKind | null;
}

/** `iamPolicy/setKind`: the user picked the kind of a document in the editor. */
export const SetKindNotification: NotificationSpec<SetKindParams> = { method: 'iamPolicy/setKind' };

export interface SummaryParams {
  uri: string;
  /** Services (prefixes) whose actions to list. */
  expand?: string[];
  /** A search over actions and services: the matching actions are listed. */
  filter?: string;
}

/** The summary of an open document, for the version of its text it was made from. */
export type SummaryResult = PolicySummary & { uri: string; version: number };

/** `iamPolicy/summary`: what an open document grants (see engine/src/summary.ts); null when it is not a policy. */
export const SummaryRequest: RequestSpec<SummaryParams, SummaryResult | null> = { method: 'iamPolicy/summary' };

export interface SimulateParams {
  uri: string;
  /** `service:ActionName`. */
  action: string;
  /** The resource's ARN, or `*`. */
  resource: string;
  /** Context keys and their values. */
  context?: Record<string, string[]>;
}

/** `iamPolicy/simulate`: whether an open document allows a request (see engine/src/evaluate.ts); null when it is not a policy. */
export const SimulateRequest: RequestSpec<SimulateParams, (SimulationResult & { version: number }) | null> = { method: 'iamPolicy/simulate' };

export interface GrantsDiffParams {
  /** The version IAM holds. */
  before: string;
  /** The version about to replace it. */
  after: string;
  /** The kind both are read as (the push commands send identity policies); inferred when left out. */
  kind?: PolicyKind;
}

/** `iamPolicy/grantsDiff`: what `after` grants that `before` does not, and the reverse (see engine/src/grantsDiff.ts). */
export const GrantsDiffRequest: RequestSpec<GrantsDiffParams, GrantsDiff> = { method: 'iamPolicy/grantsDiff' };

/**
 * The client's command a statement's CodeLens runs: opens the policy summary at that statement.
 * Arguments: the document's URI (a string) and the statement's index.
 */
export const SHOW_SUMMARY_COMMAND = 'iamPolicy.showPolicySummary';
