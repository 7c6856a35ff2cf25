/**
 * Entry point of the server bundle. The transport comes from the command line, as with every
 * vscode-languageserver server: --stdio, --node-ipc, --socket=PORT or --pipe=NAME. On stdio
 * each message is written in one piece (./transport).
 */
import { createConnection, ProposedFeatures, type MessageReader } from 'vscode-languageserver/node';
import { applyServerHeapFlags } from './heap';
import { startServer } from './server';
import { consoleToClient, OneWriteMessageWriter } from './transport';

applyServerHeapFlags();

const stdio = process.argv.slice(2).find((arg) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(arg)) === '--stdio';
if (stdio) {
  // Standard input as a stream, which the library reads and, when the editor closes it, ends
  // the process on (with the exit code that says whether shutdown came first). Its types
  // take two streams or a reader and a writer; at run time it takes each on its own.
  const input = process.stdin as unknown as MessageReader;
  const connection = createConnection(ProposedFeatures.all, input, new OneWriteMessageWriter(process.stdout));
  consoleToClient(connection.console);
  startServer(connection);
} else {
  startServer(createConnection(ProposedFeatures.all));
}
