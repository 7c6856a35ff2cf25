/**
 * An HTTP proxy between the SDK and moto that can answer chosen IAM actions with failures moto
 * cannot produce: an internal error (HTTP 500 ServiceFailure), throttling, an IAM error such as
 * LimitExceeded for the inline policy quota (moto does not enforce it), a misbehaving answer,
 * a connection reset, an endpoint that never answers, a page that is not IAM's (a proxy's or a
 * captive portal's HTML, an empty body), an answer that stalls after its headers or trickles in
 * one byte at a time, and an error that quotes the request's session token. Requests it does
 * not fault go to moto unchanged, so a test can check through moto that a faulted write never
 * arrived.
 *
 * A fault `after-forwarding` first sends the request to moto (so the write happens) and then
 * spoils the answer: the ambiguous outcomes, where IAM did the work but the caller cannot know.
 *
 * Listens on 127.0.0.1 only.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

/** How an answer can go wrong; each may come after forwarding the request to moto. */
export type BadAnswer =
  /** HTTP 500 with IAM's ServiceFailure error body. */
  | { readonly kind: 'service-failure' }
  /** The TCP connection is reset (RST). */
  | { readonly kind: 'reset' }
  /** A web page with this status (200 by default), as a proxy or a captive portal sends: no request id. */
  | { readonly kind: 'html-page'; readonly status?: number }
  /** This status (200 by default) and an empty body. */
  | { readonly kind: 'empty'; readonly status?: number }
  /** The status line and headers of the answer (moto's, or IAM's usual 200), then nothing, until close(). */
  | { readonly kind: 'stall-after-headers' }
  /** The answer (moto's, or an empty IAM answer for the action) one byte every `intervalMs` (default 200). */
  | { readonly kind: 'trickle'; readonly intervalMs?: number };

export type Fault =
  | BadAnswer
  /** HTTP 400 Throttling "Rate exceeded", as IAM answers when an account calls too often. */
  | { readonly kind: 'throttling' }
  /** Any IAM error response, e.g. 409 LimitExceeded or 400 UnmodifiableEntity. */
  | { readonly kind: 'iam-error'; readonly status: number; readonly code: string; readonly message: string }
  /** A canned answer, e.g. a list page that never ends. */
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  /** The request is accepted and never answered. */
  | { readonly kind: 'no-answer' }
  /** The request goes to moto, then the answer is spoiled: the write happened, the caller cannot tell. */
  | { readonly kind: 'after-forwarding'; readonly answer: BadAnswer }
  /** HTTP 403 InvalidClientTokenId whose message quotes the request's X-Amz-Security-Token, as a careless endpoint might. */
  | { readonly kind: 'echo-token' };

export interface ProxiedRequest {
  /** The IAM or STS action, from the form body. */
  readonly action: string;
  /** The fault it got (`after-forwarding:reset`...), or undefined when it went to moto. */
  readonly fault: string | undefined;
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

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>' +
  '<body><h1>Welcome</h1><p>Please accept the terms of use to continue.</p></body></html>\n';

/** An answer as it goes out: what moto said, or what the proxy makes up. */
interface Outgoing {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** IAM's answer to an action with no result (PutUserPolicy...), for faults that need a well-formed body. */
function emptyIamAnswer(action: string, requestId: string): Outgoing {
  const body = `<${action}Response xmlns="${IAM_NAMESPACE}">\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(body) };
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const upstreamUrl = new URL(upstream);
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fault: Fault | undefined;
  let faultedActions: ReadonlySet<string> | undefined;
  let faultsLeft = Infinity;

  /** Sends `answer` spoiled as `bad` says; `answer` is moto's after forwarding, else made up. */
  const spoil = (bad: BadAnswer, answer: Outgoing, request: http.IncomingMessage, response: http.ServerResponse): void => {
    const requestId = randomUUID();
    switch (bad.kind) {
      case 'service-failure':
        response.writeHead(500, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        response.end(
          errorBody('Receiver', 'ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.', requestId),
        );
        return;
      case 'reset':
        request.socket.resetAndDestroy();
        return;
      case 'html-page':
        response.writeHead(bad.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(HTML_PAGE);
        return;
      case 'empty':
        response.writeHead(bad.status ?? 200, { 'content-length': '0' });
        response.end();
        return;
      case 'stall-after-headers':
        response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
        response.flushHeaders();
        return; // the body never comes; the socket stays open until close()
      case 'trickle': {
        response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
        response.flushHeaders();
        let sent = 0;
        const timer = setInterval(() => {
          if (response.destroyed || sent >= answer.body.length) {
            clearInterval(timer);
            timers.delete(timer);
            if (!response.destroyed) response.end();
            return;
          }
          response.write(answer.body.subarray(sent, sent + 1));
          sent++;
        }, bad.intervalMs ?? 200);
        timers.add(timer);
        return;
      }
    }
  };

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
      requests.push({
        action,
        fault: active === undefined ? undefined : active.kind === 'after-forwarding' ? `after-forwarding:${active.answer.kind}` : active.kind,
      });
      if (active === undefined) {
        forward(upstreamUrl, request, body).then(
          (answer) => send(response, answer),
          (error: Error) =>
            send(response, { status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`fault proxy: moto did not answer: ${error.message}`) }),
        );
        return;
      }
      const requestId = randomUUID();
      const answer = (status: number, type: 'Sender' | 'Receiver', code: string, message: string): void => {
        response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        response.end(errorBody(type, code, message, requestId));
      };
      switch (active.kind) {
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
        case 'no-answer':
          break; // the socket stays open until close()
        case 'echo-token': {
          const token = request.headers['x-amz-security-token'];
          answer(
            403,
            'Sender',
            'InvalidClientTokenId',
            `The security token included in the request is invalid: ${typeof token === 'string' ? token : '(none)'}`,
          );
          break;
        }
        case 'after-forwarding': {
          const bad = active.answer;
          forward(upstreamUrl, request, body).then(
            (upstreamAnswer) => spoil(bad, upstreamAnswer, request, response),
            (error: Error) =>
              send(response, {
                status: 502,
                headers: { 'content-type': 'text/plain' },
                body: Buffer.from(`fault proxy: moto did not answer: ${error.message}`),
              }),
          );
          break;
        }
        default:
          spoil(active, emptyIamAnswer(action, requestId), request, response);
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
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: http.ServerResponse, answer: Outgoing): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  response.end(answer.body);
}

/** moto's whole answer to the request (status, headers, body). */
function forward(upstream: URL, request: http.IncomingMessage, body: Buffer): Promise<Outgoing> {
  const headers = { ...request.headers, host: upstream.host, 'content-length': String(body.length) };
  return new Promise((resolve, reject) => {
    const upstreamRequest = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (upstreamResponse) => {
        const chunks: Buffer[] = [];
        upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstreamResponse.on('end', () => {
          const { 'transfer-encoding': _chunked, 'content-length': _length, connection: _connection, ...kept } = upstreamResponse.headers;
          resolve({ status: upstreamResponse.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) });
        });
        upstreamResponse.on('error', reject);
      },
    );
    upstreamRequest.on('error', reject);
    upstreamRequest.end(body);
  });
}
