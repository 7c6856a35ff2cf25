/**
 * The server's own LSP messages, declared once for the server, the VS Code client, the tests
 * and the benchmark. (From vscode-languageserver-protocol, which the client shares; the server
 * registers them by method name.)
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { KindSource, PolicyKind } from 'iam-policy-engine';

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
export const StatusRequest = new RequestType0<ServerStatus, void>('iamPolicy/status');

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
export const DocumentKindRequest = new RequestType<DocumentKindParams, DocumentKind | null, void>('iamPolicy/documentKind');

export interface SetKindParams {
  uri: string;
  /** The kind the user picked in the editor; null to go back to the file name, the configuration or the content. */
  kind: PolicyKind | null;
}

/** `iamPolicy/setKind`: the user picked the kind of a document in the editor. */
export const SetKindNotification = new NotificationType<SetKindParams>('iamPolicy/setKind');
