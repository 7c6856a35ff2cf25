/**
 * Entry point of the server bundle. The transport comes from the command line, as with every
 * vscode-languageserver server: --stdio, --node-ipc, --socket=PORT or --pipe=NAME.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
