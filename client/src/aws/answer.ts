/**
 * Only IAM's own answer counts. A middleware on every IAM and STS client reads each answer's
 * body before the SDK does and lets through only what IAM (or STS) sends: XML whose root is
 * `<OperationResponse>` (or `<ErrorResponse>` for an error) and that carries a request id.
 * Anything else (a proxy's or captive portal's HTML page, an empty body, an answer cut short)
 * becomes a NotIamAnswerError naming the endpoint, where the SDK would have reported an action
 * without a result, such as PutUserPolicy, as done.
 *
 * It also bounds the body: the SDK's timeouts stop at the response headers, so an answer that
 * trickles in one byte at a time would never end. The body must arrive within
 * `answerTimeoutMs` of the headers (the socket's idle timeout, set in connection.ts, cuts a
 * body that stops altogether).
 *
 * Sits directly around the HTTP handler (inside the SDK's retry and deserializer middleware),
 * so every attempt is checked and the deserializer reads the checked bytes.
 */

/** More than any IAM answer (a page of 1,000 managed policies is about 1 MB). */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** The answer of an endpoint that is not IAM's, or not whole. */
export class NotIamAnswerError extends Error {
  override readonly name = 'NotIamAnswer';
  /** Read by the SDK's retry strategy (a 5xx page is retried, a 200 is not) and by errors.ts. */
  readonly $metadata: { httpStatusCode: number };

  constructor(
    /** The URL the request went to, without user name or password. */
    readonly url: string,
    readonly operation: string,
    readonly httpStatus: number,
    /** What came instead, for a message: `an HTML page ("Sign in")`, `an empty body`. */
    readonly what: string,
  ) {
    super(`${url} answered ${operation} with HTTP ${httpStatus} and ${what}, not with IAM's answer.`);
    this.$metadata = { httpStatusCode: httpStatus };
  }
}

/** The body of an answer did not arrive in time after its headers. */
export class AnswerTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  /** errors.ts tells this timeout from the SDK's by it. */
  readonly code = 'AnswerTimeout';

  constructor(readonly timeoutMs: number) {
    super(`The body of the answer did not arrive within ${timeoutMs} ms of its headers.`);
  }
}

/** The parts of the SDK's HttpRequest and HttpResponse this reads. */
interface RequestLike {
  protocol?: string;
  hostname?: string;
  port?: number;
  path?: string;
}
interface ResponseLike {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

type Handler = (args: { request: unknown }) => Promise<{ response: unknown; output?: unknown }>;

/** What addRelativeTo needs of a client. */
interface ClientWithStack {
  middlewareStack: {
    addRelativeTo(middleware: unknown, options: { relation: 'before' | 'after'; toMiddleware: string; name: string; override?: boolean }): void;
  };
}

/** Adds the check to a client; `answerTimeoutMs` bounds the body of each answer. */
export function acceptOnlyIamAnswers(client: ClientWithStack, answerTimeoutMs: number): void {
  const middleware = (next: Handler, context: { commandName?: string }) => async (args: { request: unknown }) => {
    const result = await next(args);
    const response = result.response as ResponseLike | undefined;
    if (response === undefined || typeof response.statusCode !== 'number') return result;
    const operation = (context.commandName ?? 'the request').replace(/Command$/, '');
    const body = await readBody(response.body, answerTimeoutMs);
    // The SDK's deserializer takes bytes as well as a stream.
    response.body = body;
    const problem = notIamAnswer(operation, response.statusCode, response.headers, body);
    if (problem !== undefined) throw new NotIamAnswerError(requestUrl(args.request as RequestLike), operation, response.statusCode, problem);
    return result;
  };
  client.middlewareStack.addRelativeTo(middleware, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'acceptOnlyIamAnswers',
    override: true,
  });
}

/** `https://iam.amazonaws.com/`: where the request went, never with a user name or password. */
function requestUrl(request: RequestLike | undefined): string {
  const protocol = request?.protocol ?? 'https:';
  const port = request?.port !== undefined ? `:${request.port}` : '';
  return `${protocol.endsWith(':') ? protocol : `${protocol}:`}//${request?.hostname ?? '(unknown host)'}${port}${request?.path ?? '/'}`;
}

/** The whole body, or a rejection: too slow after the headers, too large, or cut off. */
export function readBody(body: unknown, timeoutMs: number): Promise<Uint8Array> {
  if (body === undefined || body === null) return Promise.resolve(new Uint8Array());
  if (body instanceof Uint8Array) return Promise.resolve(body);
  if (typeof body === 'string') return Promise.resolve(Buffer.from(body));
  const stream = body as NodeJS.ReadableStream & { destroy(error?: Error): void; readableEnded?: boolean };
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error !== undefined) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(() => {
      const error = new AnswerTimeoutError(timeoutMs);
      stream.destroy(error);
      finish(error);
    }, timeoutMs);
    stream.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > MAX_ANSWER_BYTES) {
        const error = new Error(`The answer is over ${MAX_ANSWER_BYTES} bytes; no IAM answer is that large.`);
        stream.destroy(error);
        finish(error);
        return;
      }
      chunks.push(bytes);
    });
    stream.on('end', () => finish(undefined));
    stream.on('error', (error: Error) => finish(error));
    // A connection closed before the end, without an error of its own.
    stream.on('close', () => {
      if (stream.readableEnded !== true) finish(Object.assign(new Error('The connection was closed before the whole answer arrived.'), { code: 'ECONNRESET' }));
    });
  });
}

/**
 * Undefined when the answer is IAM's: for a success (2xx), XML whose root is
 * `<OperationResponse>`, whole (the root element closed), with a non-empty `<RequestId>`; for an
 * error, XML whose root is `<ErrorResponse>` with an error `<Code>` (IAM adds a request id; moto's
 * authorization errors do not, and an error is never taken for success anyway). Otherwise what
 * came instead, in a few words.
 */
export function notIamAnswer(operation: string, status: number, headers: Record<string, string | undefined>, body: Uint8Array): string | undefined {
  const text = Buffer.from(body).toString('utf8');
  const content = text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[^>]*\?>/, '')
    .trim();
  const success = status >= 200 && status < 300;
  const expectedRoot = success ? `${operation}Response` : 'ErrorResponse';
  const root = /^<([A-Za-z_][\w.-]*)[\s/>]/.exec(content)?.[1];
  const whole = root !== undefined && content.endsWith(`</${root}>`);
  const hasRequestId = /<RequestId>\s*[^<\s][^<]*<\/RequestId>/.test(content);
  const hasErrorCode = /<Code>\s*[^<\s][^<]*<\/Code>/.test(content);
  if (root === expectedRoot && whole && (success ? hasRequestId : hasErrorCode)) return undefined;

  if (content === '') return 'an empty body';
  const contentType = headerValue(headers, 'content-type')?.split(';')[0].trim().toLowerCase();
  if (contentType === 'text/html' || /^<!doctype html|^<html[\s>]/i.test(content)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(content)?.[1].replace(/\s+/g, ' ').trim();
    return title !== undefined && title !== '' ? `an HTML page ("${title.slice(0, 80)}")` : 'an HTML page';
  }
  if (root === expectedRoot) return !whole ? 'an answer cut short' : success ? 'an answer without a request id' : 'an error without a code';
  if (root !== undefined) return `XML that is not IAM's answer (<${root}>)`;
  if (/^[[{]/.test(content)) return 'JSON';
  return `${body.length.toLocaleString('en-US')} bytes of ${contentType ?? 'text'}`;
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
