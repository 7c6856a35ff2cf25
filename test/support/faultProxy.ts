/**
 * An HTTP proxy between the SDK and moto that can answer chosen IAM actions with failures moto
 * cannot produce: an internal error (HTTP 500 ServiceFailure), throttling, an IAM error such as
 * LimitExceeded for the inline policy quota (moto does not enforce it), a misbehaving answer,
 * a connection reset, and an endpoint that never answers. Requests it does not fault go to moto unchanged, so a test can
 * check through moto that a faulted write never arrived.
 *
 * Listens on 127.0.0.1 only.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

export type Fault =
  /** HTTP 500 with IAM's ServiceFailure error body. */
  | { readonly kind: 'service-failure' }
  /** HTTP 400 Throttling "Rate exceeded", as IAM answers when an account calls too often. */
  | { readonly kind: 'throttling' }
  /** Any IAM error response, e.g. 409 LimitExceeded or 400 UnmodifiableEntity. */
  | { readonly kind: 'iam-error'; readonly status: number; readonly code: string; readonly message: string }
  /** A canned answer, e.g. a list page that never ends. */
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  /** The TCP connection is reset (RST) as soon as the request has arrived. */
  | { readonly kind: 'reset' }
  /** The request is accepted and never answered. */
  | { readonly kind: 'no-answer' };

export interface ProxiedRequest {
  /** The IAM or STS action, from the form body. */
  readonly action: string;
  /** The fault it got, or undefined when it went to moto. */
  readonly fault: Fault['kind'] | undefined;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Every request seen, in order. */
  readonly requests: ProxiedRequest[];
  /**
   * Faults the requests for one of `actions` (all actions when omitted): every one until
   * cleared, or only the next `times`.
   */
  setFault(fault: Fault | undefined, actions?: readonly string[], times?: number): void;
  /** The requests for one action. */
  requestsFor(action: string): ProxiedRequest[];
  close(): Promise<void>;
}

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** Bodies of IAM requests are small; refuse anything absurd rather than buffer it. */
const MAX_BODY_BYTES = 1024 * 1024;

function errorBody(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    `<ErrorResponse xmlns="${IAM_NAMESPACE}">\n` +
    `  <Error>\n    <Type>${type}</Type>\n    <Code>${escape(code)}</Code>\n    <Message>${escape(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
  );
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const upstreamUrl = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: Fault | undefined;
  let faultedActions: ReadonlySet<string> | undefined;
  let faultsLeft = Infinity;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '(none)';
      const matches = fault !== undefined && faultsLeft > 0 && (faultedActions === undefined || faultedActions.has(action));
      const active = matches ? fault : undefined;
      if (matches) faultsLeft--;
      requests.push({ action, fault: active?.kind });
      if (active === undefined) {
        forward(upstreamUrl, request, body, response);
        return;
      }
      const requestId = randomUUID();
      const answer = (status: number, type: 'Sender' | 'Receiver', code: string, message: string): void => {
        response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        response.end(errorBody(type, code, message, requestId));
      };
      switch (active.kind) {
        case 'service-failure':
          answer(500, 'Receiver', 'ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.');
          break;
        case 'throttling':
          answer(400, 'Sender', 'Throttling', 'Rate exceeded');
          break;
        case 'iam-error':
          answer(active.status, active.status >= 500 ? 'Receiver' : 'Sender', active.code, active.message);
          break;
        case 'answer':
          response.writeHead(active.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
          response.end(active.body);
          break;
        case 'reset':
          request.socket.resetAndDestroy();
          break;
        case 'no-answer':
          break; // the socket stays open until close()
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    setFault(next, actions, times) {
      fault = next;
      faultedActions = actions === undefined ? undefined : new Set(actions);
      faultsLeft = times ?? Infinity;
    },
    requestsFor(action) {
      return requests.filter((entry) => entry.action === action);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(upstream: URL, request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
  const headers = { ...request.headers, host: upstream.host, 'content-length': String(body.length) };
  const upstreamRequest = http.request(
    { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
    (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
      upstreamResponse.pipe(response);
    },
  );
  upstreamRequest.on('error', (error) => {
    response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(`fault proxy: moto did not answer: ${error.message}`);
  });
  upstreamRequest.end(body);
}
