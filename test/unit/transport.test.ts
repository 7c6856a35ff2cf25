/** The stdio writer: one write per message, framed as LSP's base protocol says; console output goes to the client. */
import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { PassThrough } from 'node:stream';
import { consoleToClient, OneWriteMessageWriter } from '../../server/src/transport';

/** A stream that keeps each write as it came. */
class Recorder extends Writable {
  readonly chunks: Buffer[] = [];
  fail: Error | undefined;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.fail !== undefined) return done(this.fail);
    this.chunks.push(chunk);
    done();
  }
}

const messages: Message[] = [
  { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'plain' } } as Message,
  // Non-ASCII: the header counts bytes, not characters (é is 2 bytes, the emoji 4).
  { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///é.json', diagnostics: [{ message: 'Sid "café 🚀"' }] } } as Message,
  { jsonrpc: '2.0', id: 7, result: null } as Message,
];

describe('OneWriteMessageWriter', () => {
  it('writes each message in one write: its header, a blank line and its JSON body, with the length in bytes', async () => {
    const stream = new Recorder();
    const writer = new OneWriteMessageWriter(stream);
    for (const message of messages) await writer.write(message);
    assert.equal(stream.chunks.length, messages.length);
    stream.chunks.forEach((chunk, i) => {
      const text = chunk.toString('utf8');
      const match = /^Content-Length: (\d+)\r\n\r\n/.exec(text);
      assert.ok(match, text);
      const body = chunk.subarray(Buffer.byteLength(match[0]));
      assert.equal(Number(match[1]), body.length);
      assert.deepEqual(JSON.parse(body.toString('utf8')), messages[i]);
    });
  });

  it("is read back by vscode-jsonrpc's own reader, message for message", async () => {
    const pipe = new PassThrough();
    const writer = new OneWriteMessageWriter(pipe);
    const reader = new StreamMessageReader(pipe);
    const read: Message[] = [];
    const all = new Promise<void>((resolve) =>
      reader.listen((message) => {
        read.push(message);
        if (read.length === messages.length) resolve();
      }),
    );
    for (const message of messages) void writer.write(message);
    await all;
    assert.deepEqual(read, messages);
    reader.dispose();
  });

  it('reports a failed write to the connection and rejects', async () => {
    const stream = new Recorder();
    stream.fail = new Error('EPIPE');
    const writer = new OneWriteMessageWriter(stream);
    const errors: unknown[] = [];
    writer.onError(([error]) => errors.push(error));
    stream.on('error', () => undefined);
    await assert.rejects(writer.write(messages[0]), /EPIPE/);
    assert.ok(errors.some((error) => error instanceof Error && error.message === 'EPIPE'));
  });

  it('rejects a message that cannot be encoded, without writing anything', async () => {
    const stream = new Recorder();
    const writer = new OneWriteMessageWriter(stream);
    const cyclic: Record<string, unknown> = { jsonrpc: '2.0', method: 'x' };
    cyclic.params = cyclic;
    await assert.rejects(writer.write(cyclic as unknown as Message));
    assert.equal(stream.chunks.length, 0);
  });
});

describe('consoleToClient', () => {
  it("sends console output to the client's log instead of standard output", () => {
    const saved = { ...console };
    const sent: string[] = [];
    const remote = {
      log: (message: string) => sent.push(`log ${message}`),
      info: (message: string) => sent.push(`info ${message}`),
      warn: (message: string) => sent.push(`warn ${message}`),
      error: (message: string) => sent.push(`error ${message}`),
    };
    try {
      consoleToClient(remote);
      console.log('a', 1, { b: 2 });
      console.info('i');
      console.warn('w');
      console.error('e');
      console.debug('d');
    } finally {
      Object.assign(console, saved);
    }
    assert.deepEqual(sent, ['log a 1 { b: 2 }', 'info i', 'warn w', 'error e', 'log d']);
  });
});
