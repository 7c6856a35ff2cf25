/**
 * Offsets (UTF-16 code units) as lines and columns, with the line breaks editors and LSP
 * count: `\n`, `\r\n` and a lone `\r`. Built with indexOf when the text has no `\r` (the usual
 * case), which is several times faster than a loop over every character: it matters for the
 * first diagnostics of a large document, where the line starts are not known yet.
 */
export class LineMap {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (code === 10) {
        this.starts.push(i + 1);
      }
    }
  }

  /** 0-based line and character, as LSP counts them. */
  positionAt(offset: number): { line: number; character: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    // Between the \r and the \n of a line break is still the end of the line (as
    // vscode-languageserver-textdocument counts it, so a first publish and later ones agree).
    const inBreak = clamped > this.starts[low] && this.text.charCodeAt(clamped - 1) === 13 && this.text.charCodeAt(clamped) === 10;
    return { line: low, character: clamped - this.starts[low] - (inBreak ? 1 : 0) };
  }
}
