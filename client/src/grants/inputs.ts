/** What the input boxes of Simulate a Request… accept (no `vscode` import: tested without an editor). */

/** `key=value key=value`: a key given twice has two values. Undefined when a part is not key=value. */
export function parseContext(text: string): Record<string, string[]> | undefined {
  const context: Record<string, string[]> = {};
  for (const part of text.split(/\s+/).filter((item) => item !== '')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return undefined;
    (context[part.slice(0, equals)] ??= []).push(part.slice(equals + 1));
  }
  return context;
}

export function checkActionInput(value: string): string | undefined {
  if (/^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$/.test(value.trim())) return undefined;
  return /[*?]/.test(value) ? 'One action, without wildcards: s3:GetObject.' : 'An action is service:Name, as in s3:GetObject.';
}

export function checkResourceInput(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '*' || trimmed.startsWith('arn:') ? undefined : "The resource's ARN (arn:aws:s3:::bucket/key), or * for an action without resources.";
}
