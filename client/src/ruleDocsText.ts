/**
 * The README as the documentation of the diagnostics, shown in the editor: the language server
 * links each diagnostic's code to the README's section of that name (`README.md#json-comment`),
 * and the extension shows it in the Markdown preview at that section (ruleDocs.ts). No `vscode`
 * import here, so the text and the link are tested in plain Node.
 */

/** The command a diagnostic's code runs in VS Code, with the rule's code as its one argument. */
export const SHOW_RULE_DOCUMENTATION = 'iamPolicy.showRuleDocumentation';

/**
 * The README's text for the preview. The preview shows it from a document of the extension's
 * own (the README file itself, opened in the editor, gets VS Code's checks for extension READMEs
 * and their warnings about relative image URLs), where the screenshots' relative paths lead
 * nowhere: an image alone on its line becomes its description, in italics.
 */
export function documentationText(readme: string): string {
  return readme.replace(/^!\[([^\]]*)\]\([^)]*\)[ \t]*$/gm, (_line, alt: string) => (alt === '' ? '' : `*${alt}*`));
}

/**
 * The code of the rule a diagnostic's link leads to, when it is a link to the README's section
 * (as the server makes them: `file:///…/README.md#json-comment`); undefined for any other link.
 */
export function ruleOfDocumentationLink(link: { scheme: string; path: string; fragment: string }): string | undefined {
  if (link.scheme !== 'file' || !/\/readme\.md$/i.test(link.path)) return undefined;
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(link.fragment) ? link.fragment : undefined;
}

/** The `command:` link that shows the rule's documentation, for the Problems panel and hovers. */
export function showRuleDocumentationLink(code: string): string {
  return `command:${SHOW_RULE_DOCUMENTATION}?${encodeURIComponent(JSON.stringify([code]))}`;
}
