/**
 * The server's own LSP messages, declared once for the server, its tests, the benchmark and
 * any client that wants them.
 */
import { RequestType0 } from 'vscode-languageserver';

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
