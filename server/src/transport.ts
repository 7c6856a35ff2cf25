/**
 * The stdio transport's writer: each message leaves in one write, its header and its body
 * together. vscode-jsonrpc's StreamMessageWriter writes the header, waits for it, then writes
 * the body: two system calls per message on a pipe, each waking the editor's reader, and a
 * moment between them where other work can run while the editor holds half a message. Over
 * the managed policies opened one after another, the header's write alone took 30 µs a message
 * (a CPU profile of the server: 297 ms of 5.2 s).
 *
 * The framing is LSP's base protocol: `Content-Length` (the body's length in bytes), a blank
 * line, then the JSON body in UTF-8, the content type's default charset, as the library's own
 * writer sends it.
 */
import { inspect } from 'node:util';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

export class OneWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: Error) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    let frame: string;
    try {
      const body = JSON.stringify(message);
      frame = `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    } catch (error) {
      this.fireError(error);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.stream.write(frame, 'utf8', (error?: Error | null) => {
        if (error === undefined || error === null) {
          resolve();
          return;
        }
        this.errorCount++;
        this.fireError(error, message, this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * What vscode-languageserver does for a connection it makes on --stdio itself: console output
 * goes to the client's log, never to standard output, where it would break the protocol.
 */
export function consoleToClient(remote: {
  log(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}): void {
  const text = (values: unknown[]): string => values.map((value) => (typeof value === 'string' ? value : inspect(value))).join(' ');
  console.log = (...values: unknown[]) => remote.log(text(values));
  console.debug = (...values: unknown[]) => remote.log(text(values));
  console.info = (...values: unknown[]) => remote.info(text(values));
  console.warn = (...values: unknown[]) => remote.warn(text(values));
  console.error = (...values: unknown[]) => remote.error(text(values));
  console.trace = (...values: unknown[]) => remote.log(`Trace${values.length > 0 ? `: ${text(values)}` : ''}\n${new Error().stack ?? ''}`);
  console.dir = (value: unknown) => remote.log(inspect(value));
}
