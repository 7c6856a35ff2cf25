/**
 * The IAM view (its own container in the activity bar): model.ts's tree shown with VS Code's
 * tree view. VS Code asks for children only while the view is visible, so nothing is read from
 * IAM before it is opened; each read shows the view's progress bar, and a failure is a node in
 * its place. Refresh forgets the connection (new credentials are read) and reads again.
 */
import * as vscode from 'vscode';
import { IamExplorerModel, type ExplorerSource, type IamNode } from './model';

export const EXPLORER_VIEW_ID = 'iamPolicy.explorer';
/** Set while a name filter is in effect: the view's title shows "Clear Filter". */
export const FILTERED_CONTEXT = 'iamPolicy.explorer.filtered';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

export class IamExplorer implements vscode.TreeDataProvider<IamNode>, vscode.Disposable {
  readonly model: IamExplorerModel;
  private readonly changed = new vscode.EventEmitter<IamNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<IamNode>;

  constructor(source: ExplorerSource) {
    this.model = new IamExplorerModel(source);
    this.view = vscode.window.createTreeView(EXPLORER_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
  }

  getTreeItem(node: IamNode): vscode.TreeItem {
    const view = this.model.view(node);
    const item = new vscode.TreeItem(view.label, COLLAPSIBLE[view.collapsible]);
    item.id = view.id;
    if (view.description !== undefined && view.description !== '') item.description = view.description;
    if (view.tooltip !== undefined) item.tooltip = view.tooltip;
    item.iconPath = new vscode.ThemeIcon(view.icon, view.icon === 'error' ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined);
    item.contextValue = view.contextValue;
    if (view.opens) item.command = { command: 'iamPolicy.openPolicy', title: 'Open Policy', arguments: [node] };
    return item;
  }

  getChildren(node?: IamNode): Thenable<IamNode[]> {
    return vscode.window.withProgress({ location: { viewId: EXPLORER_VIEW_ID } }, () => this.model.children(node));
  }

  /** Reads everything shown again, with a new connection. */
  refresh(): void {
    this.model.refresh();
    this.changed.fire(undefined);
  }

  /** Filters the lists by name (part of it, any case); empty: no filter. */
  async setFilter(text: string): Promise<void> {
    this.model.setFilter(text);
    this.view.description = this.model.filter !== '' ? `filter: ${this.model.filter}` : undefined;
    await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, this.model.filter !== '');
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.model.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}
